"""Staff-side downloads run nothing in the platform's origin (issue 10, section 7): a sandbox
Content-Security-Policy and nosniff on every attachment a member of staff downloads; the
workbench pages themselves carry the page policy (no inline script)."""

from django.urls import reverse


def test_a_draft_attachment_download_is_sandboxed(client, world):
    client.force_login(world.a.clerk)
    url = reverse(
        "workbench:attachment_download", kwargs={"pk": world.drafted.pk, "attachment_pk": world.attachment.pk}
    )
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")


def test_workbench_pages_carry_the_page_policy_and_the_draft_keeper(client, world):
    client.force_login(world.a.clerk)
    response = client.get(reverse("workbench:dashboard"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "object-src 'none'" in csp
    assert "gongkai/drafts.js" in response.content.decode()
