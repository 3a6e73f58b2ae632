"""The project's API error shape (cms_site.api.common.install_error_handlers) for failures a
request meets half-way: an object it names vanishing mid-request answers 404, not 500."""

import pytest
from django.contrib.contenttypes.models import ContentType
from ninja import NinjaAPI
from ninja.testing import TestClient

from cms_site.api.common import install_error_handlers


@pytest.fixture
def client():
    api = install_error_handlers(NinjaAPI(urls_namespace="test_api_errors"))

    @api.get("/vanished")
    def vanished(request):
        # What a select_for_update().get() meets when the row was deleted after the ownership check.
        return ContentType.objects.get(pk=-1)

    return TestClient(api)


@pytest.mark.django_db
def test_an_object_deleted_mid_request_answers_404_with_the_error_shape(client):
    response = client.get("/vanished")
    assert response.status_code == 404
    body = response.json()
    assert body and "detail" in body and body["detail"]
