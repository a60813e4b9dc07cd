import pytest

pytestmark = pytest.mark.django_db

TEXT = ("Community health workers use a mobile app to follow pregnant women and vaccinate children in remote "
        "villages; nurses consult doctors by telemedicine.")


def test_classify_returns_sdgs_scores_targets_action_lines_and_evidence(client):
    response = client.post("/api/v1/classify", {"text": TEXT}, content_type="application/json")
    assert response.status_code == 200
    data = response.json()
    assert data["sdgs"][0] == 3
    assert sorted(data["scores"], key=int) == [str(n) for n in range(1, 18)]
    goal = data["goals"][0]
    assert goal["goal"] == 3 and goal["title"] and goal["evidence"]
    assert goal["targets"] and all(t["code"].startswith("3.") and t["title"] for t in goal["targets"])
    assert data["action_lines"] and data["action_line_details"][0]["code"] == data["action_lines"][0]
    assert data["backend"].startswith("linear-")


def test_classify_is_deterministic(client):
    first = client.post("/api/v1/classify", {"text": TEXT}, content_type="application/json").json()
    second = client.post("/api/v1/classify", {"text": TEXT}, content_type="application/json").json()
    assert first == second


@pytest.mark.parametrize("payload", [{"text": ""}, {}, {"text": "x" * 50_001}, {"text": 5}])
def test_bad_input_is_a_422_naming_the_field(client, payload):
    response = client.post("/api/v1/classify", payload, content_type="application/json")
    assert response.status_code == 422
    assert "text" in response.content.decode()


def test_classify_is_in_the_openapi_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "post" in schema["paths"]["/api/v1/classify"]
