import pytest


@pytest.mark.parametrize("path", [
    "/static/vendor/bootstrap/bootstrap.min.css",
    "/static/vendor/bootstrap/bootstrap.bundle.min.js",
    "/static/vendor/htmx/htmx.min.js",
    "/static/vendor/echarts/echarts.min.js",
    "/static/vendor/bootstrap-icons/bootstrap-icons.min.css",
    "/static/yifa/yifa.css",
])
def test_vendored_assets_are_served_without_a_cdn(client, path):
    resp = client.get(path)
    assert resp.status_code == 200
    b"".join(resp.streaming_content) if resp.streaming else resp.content


@pytest.mark.django_db
def test_pages_reference_no_external_hosts(world, client_for):
    body = client_for(world.admin).get("/").content.decode()
    assert "http://" not in body.replace("http://testserver", "") and "https://" not in body


@pytest.mark.django_db
def test_home_shows_user_unit_roles_and_todo(world, client_for):
    body = client_for(world.dept_a_legal).get("/").content.decode()
    assert "测试县市场监督管理局法制股" in body and "部门法制员" in body and "我的待办" in body
