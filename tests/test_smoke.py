def test_start_page_offers_both_languages(client):
    response = client.get("/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Cymraeg" in page and "English" in page


def test_demo_person_signs_in_and_sees_home(login_as):
    client = login_as("person")
    response = client.get("/me/")
    assert response.status_code == 200
    assert "Alex" in response.get_data(as_text=True)
