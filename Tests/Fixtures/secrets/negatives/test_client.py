import os

import pytest

from orders.client import OrdersClient

fake_token = "fake-3825be203b2bf462f371d8c0"
DUMMY_API_KEY = "dummy-api-key-for-tests"
example_secret = "example-client-secret"


@pytest.fixture
def client(monkeypatch):
    monkeypatch.setenv("ORDERS_TOKEN", fake_token)
    return OrdersClient(base_url="http://localhost:8080", token=fake_token)


def test_token_is_sent(client, httpserver):
    password = os.environ["DB_PASSWORD"]
    token = get_token()
    httpserver.expect_request("/orders", headers={"Authorization": f"Bearer {fake_token}"}).respond_with_json([])
    assert client.list_orders() == []
