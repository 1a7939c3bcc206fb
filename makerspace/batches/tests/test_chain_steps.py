"""The batch's chain is read through the model: what follows a step is asked of the batch."""

import pytest

from makerspace.batches.chain import Party
from makerspace.batches.models import Kind
from makerspace.core.tests.factories import BatchFactory

pytestmark = pytest.mark.django_db


def test_the_step_after_a_kind_is_read_from_the_batchs_own_chain():
    jiangsu = BatchFactory()
    assert jiangsu.step_after(None).kind == Kind.ATTEST
    assert jiangsu.step_after(Kind.UNIT_REVIEW).kind == Kind.RECEIPT
    assert jiangsu.step_after(Kind.UNIT_REVIEW).party == Party.ACCEPTANCE
    assert jiangsu.step_after(Kind.FILING) is None
    province_receipt = BatchFactory(chain="province_receipt")
    assert province_receipt.step_after(Kind.UNIT_REVIEW).party == Party.PROVINCE
