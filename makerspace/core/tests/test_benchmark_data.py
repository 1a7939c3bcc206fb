"""Benchmark data is the one place application states are written in bulk, past the chain's rules:
the generator refuses to run unless it is told the database is a benchmark's."""

import pytest
from django.core.management import CommandError, call_command

from makerspace.applications.models import Application

pytestmark = pytest.mark.django_db


def test_benchmark_data_is_written_in_bulk_only_when_the_database_is_declared_a_benchmarks():
    with pytest.raises(CommandError, match="--benchmark"):
        call_command("generate_applications", "--count", "5", "--batches", "1")
    assert not Application.objects.exists()
