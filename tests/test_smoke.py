import pytest


@pytest.mark.parametrize(
    "path",
    ["/", "/programs/", "/programs/energy/", "/programs/dual-carbon/", "/programs/dual-carbon/asset/",
     "/programs/dual-carbon/emission/", "/programs/dual-carbon/trading/", "/programs/dual-carbon/monitoring/"],
)
def test_public_pages_render_in_chinese(client, site_data, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Language"] == "zh-hans"
    assert '<html lang="zh-hans">' in response.content.decode()


def test_healthz_reports_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"
