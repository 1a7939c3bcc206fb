from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "makerspace.reviews"
    label = "reviews"
