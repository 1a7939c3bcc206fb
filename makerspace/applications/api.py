"""A small read-only JSON API: the applications a user may see (permission module), list and
detail. Mounted at /api/applications/ and described by the OpenAPI schema at /api/schema/."""

from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import JSONRenderer

from makerspace.permissions import get_application_for

from . import selectors
from .models import Application, ApplicationEvent, ApplicationVersion


class VersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApplicationVersion
        fields = ["number", "data_sha256", "submitted_at"]


class EventSerializer(serializers.ModelSerializer):
    source = serializers.CharField(read_only=True)
    target = serializers.CharField(read_only=True)

    class Meta:
        model = ApplicationEvent
        fields = ["transition", "source", "target", "role", "organisation_name", "comment", "at"]


class ApplicationSerializer(serializers.ModelSerializer):
    space = serializers.CharField(source="space.name", read_only=True)
    batch = serializers.CharField(source="batch.title", read_only=True)
    year = serializers.IntegerField(source="batch.year", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    recommending_unit = serializers.CharField(source="recommending_unit.name", read_only=True)
    supervisor = serializers.CharField(source="supervisor.name", read_only=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "number",
            "space",
            "batch",
            "year",
            "state",
            "state_label",
            "recommending_unit",
            "supervisor",
            "current_version",
            "submitted_at",
            "updated_at",
        ]
        read_only_fields = fields


class ApplicationDetailSerializer(ApplicationSerializer):
    versions = VersionSerializer(many=True, read_only=True)
    events = EventSerializer(many=True, read_only=True)

    class Meta(ApplicationSerializer.Meta):
        fields = [*ApplicationSerializer.Meta.fields, "versions", "events"]
        read_only_fields = fields


class Pages(PageNumberPagination):
    page_size = 50
    max_page_size = 50


NOT_LOGGED_IN = OpenApiResponse(description="未登录，或审核角色尚未完成两步验证")
NOT_FOUND = OpenApiResponse(description="不存在、无权查看，或页码超出范围")


@extend_schema(responses={200: ApplicationSerializer(many=True), 403: NOT_LOGGED_IN, 404: NOT_FOUND})
class ApplicationList(generics.ListAPIView):
    serializer_class = ApplicationSerializer
    pagination_class = Pages
    renderer_classes = [JSONRenderer]

    def get_queryset(self):
        return selectors.applications_of_applicant(self.request.user)


@extend_schema(responses={200: ApplicationDetailSerializer, 403: NOT_LOGGED_IN, 404: NOT_FOUND})
class ApplicationDetail(generics.RetrieveAPIView):
    serializer_class = ApplicationDetailSerializer
    renderer_classes = [JSONRenderer]
    queryset = Application.objects.none()

    def get_object(self):
        return get_application_for(
            self.request.user,
            self.kwargs["pk"],
            queryset=selectors.application_for_page_queryset("basic_info", "report").prefetch_related(
                "versions", "events"
            ),
        )


app_name = "api"

urlpatterns = [
    path("applications/", ApplicationList.as_view(), name="application_list"),
    path("applications/<int:pk>/", ApplicationDetail.as_view(), name="application_detail"),
]
