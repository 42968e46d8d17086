import pytest


@pytest.mark.django_db
def test_every_page_type_renders_with_site_identity_in_footer_and_meta(client, cluster):
    for page in (cluster.portal.home_page, cluster.portal_news, cluster.education_site.home_page,
                 cluster.education_news, cluster.education_article):
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        html = response.content.decode()
        site = cluster.portal if page.pk in (cluster.portal.home_page_id, cluster.portal_news.pk) \
            else cluster.education_site
        assert f'<meta name="SiteIDCode" content="{site.identification_code}">' in html
        assert f'<meta name="SiteName" content="{site.name}">' in html
        assert "网站标识码" in html and site.sponsor in html
