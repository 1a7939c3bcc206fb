from django.apps import AppConfig


class ScoringConfig(AppConfig):
    name = "makerspace.scoring"
    label = "scoring"
    verbose_name = "专家评审"
