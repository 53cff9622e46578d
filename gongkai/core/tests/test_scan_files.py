"""scan_file and `gongkai scan`: text, DOCX and PDF files, and the files that cannot be read."""

import json
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from gongkai.catalogue.tests.samples import make_docx, make_pdf, make_png
from gongkai.core.scan import Kind, ScanError, scan_file

ID = "11010519491231002X"
MOBILE = "13912345678"


def kinds(findings) -> list[str]:
    return [f.kind.value for f in findings]


def test_a_utf8_text_file_is_scanned(tmp_path):
    path = tmp_path / "notice.txt"
    path.write_text(f"机密★5年\n申请人身份证号码：{ID}\n", encoding="utf-8")
    findings = scan_file(path)
    assert kinds(findings) == ["secrecy_mark", "id_number"]
    text = path.read_text(encoding="utf-8")
    assert text[findings[1].start : findings[1].end] == ID


def test_a_gb18030_text_file_is_scanned(tmp_path):
    path = tmp_path / "notice.txt"
    path.write_bytes(f"联系电话：{MOBILE}。".encode("gb18030"))
    assert kinds(scan_file(path)) == ["mobile"]


def test_a_docx_file_is_scanned_paragraphs_and_tables(tmp_path):
    path = tmp_path / "list.docx"
    path.write_bytes(make_docx("内部资料", "补助对象名单如下：", table=[["姓名", "身份证号"], ["王芳", ID]]))
    assert kinds(scan_file(path)) == ["secrecy_mark", "person_name", "id_number"]


def test_a_pdf_file_is_scanned(tmp_path):
    path = tmp_path / "decision.pdf"
    path.write_bytes(make_pdf("行政处罚决定书", f"当事人手机：{MOBILE}"))
    assert kinds(scan_file(path)) == ["mobile"]


def test_text_past_the_search_indexs_budget_is_still_scanned(tmp_path):
    # The search index keeps the first 2 MB of an attachment's text; the scan reads it all.
    path = tmp_path / "long.txt"
    path.write_text("各地区各部门要认真贯彻落实。\n" * 200_000 + f"手机：{MOBILE}\n", encoding="utf-8")
    assert path.stat().st_size > 4 * 1024 * 1024
    assert kinds(scan_file(path)) == ["mobile"]


def test_an_empty_file_has_no_findings(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert scan_file(path) == []


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("secret.pdf", make_pdf("机密★5年", user_password="s3cret"), "encrypted"),
        ("broken.pdf", b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog", "corrupt"),
        ("broken.docx", b"PK\x03\x04not really a zip", "corrupt"),
        ("photo.png", make_png(), "not a text, DOCX or PDF file"),
    ],
)
def test_a_file_that_cannot_be_scanned_says_so_and_which(tmp_path, name, content, says):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ScanError) as exc:
        scan_file(path)
    assert str(path) in str(exc.value) and says in str(exc.value)


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(ScanError, match="nope.txt: no such file"):
        scan_file(tmp_path / "nope.txt")


def test_a_directory_is_refused(tmp_path):
    with pytest.raises(ScanError, match="is a directory"):
        scan_file(tmp_path)


# ---------------------------------------------------------------- the command


def run_scan(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("scan", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_json_lists_the_findings_of_every_file_with_masked_excerpts(tmp_path):
    a = tmp_path / "a.txt"
    a.write_text(f"身份证号码：{ID}", encoding="utf-8")
    b = tmp_path / "b.txt"
    b.write_text(f"秘密★1年\n手机：{MOBILE}", encoding="utf-8")
    out, _ = run_scan(a, b, "--json")
    data = json.loads(out)
    assert data == {
        "findings": [
            {"file": str(a), "kind": "id_number", "start": 6, "end": 24, "excerpt": "110105********002X", "confidence": "high"},
            {"file": str(b), "kind": "secrecy_mark", "start": 0, "end": 5, "excerpt": "秘密★1年 手机：139****5678", "confidence": "high"},
            {"file": str(b), "kind": "mobile", "start": 9, "end": 20, "excerpt": "139****5678", "confidence": "high"},
        ]
    }  # fmt: skip
    assert ID not in out and MOBILE not in out


@pytest.mark.django_db
def test_without_json_each_finding_is_a_line_file_kind_offsets_excerpt(tmp_path):
    a = tmp_path / "a.txt"
    a.write_text(f"联系人：张三\n手机：{MOBILE}", encoding="utf-8")
    out, err = run_scan(a)
    assert out.splitlines() == [
        f"{a}:person_name:4-6 张*  (low confidence)",
        f"{a}:mobile:10-21 139****5678",
    ]
    assert "2 finding(s) in 1 file(s)" in err


@pytest.mark.django_db
def test_no_findings_is_still_success(tmp_path):
    a = tmp_path / "a.txt"
    a.write_text("2024年全市地区生产总值增长6.5%。", encoding="utf-8")
    out, _ = run_scan(a, "--json")
    assert json.loads(out) == {"findings": []}


@pytest.mark.django_db
def test_a_bad_file_among_good_ones_fails_the_command_naming_it(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(f"手机：{MOBILE}", encoding="utf-8")
    with pytest.raises(CommandError, match="missing.pdf: no such file"):
        run_scan(good, tmp_path / "missing.pdf")


@pytest.mark.django_db
def test_the_directorys_own_contact_details_are_not_reported_unless_all_is_asked(tmp_path):
    from gongkai.agencies.models import DisclosureOffice
    from gongkai.catalogue.tests.factories import make_agency

    DisclosureOffice.objects.create(
        agency=make_agency(),
        name="测试市人民政府办公室",
        phone="0551-62999999",
        fax="0551-62999998",
        email="gkb@test.gov.cn",
        address="安徽省合肥市蜀山区长江西路100号",
    )
    notice = tmp_path / "notice.txt"
    notice.write_text(
        "联系电话：（0551）62999999，传真：0551 6299 9998，邮箱：GKB@test.gov.cn，"
        "地址：合肥市长江西路100号政务服务中心三楼。\n"
        f"举报人手机：{MOBILE}，住址：合肥市长江西路100号3栋201室。",
        encoding="utf-8",
    )
    out, _ = run_scan(notice, "--json")
    assert [f["kind"] for f in json.loads(out)["findings"]] == ["mobile", "address"]
    out, _ = run_scan(notice, "--json", "--all")
    kinds_all = [f["kind"] for f in json.loads(out)["findings"]]
    assert kinds_all.count("landline") == 2 and "email" in kinds_all and kinds_all.count("address") == 2


def _django_admin(tmp_path, *args) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["GONGKAI_DATA_DIR"] = str(tmp_path / "var")
    return subprocess.run(
        [sys.executable, "-m", "django", "scan", *map(str, args), "--settings=gongkai.settings"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_as_a_process_findings_exit_0_and_an_encrypted_file_exits_1_with_one_line(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(f"手机：{MOBILE}", encoding="utf-8")
    secret = tmp_path / "secret.pdf"
    secret.write_bytes(make_pdf("机密★5年", user_password="s3cret"))

    ok = _django_admin(tmp_path, good, "--json")
    assert ok.returncode == 0 and json.loads(ok.stdout)["findings"][0]["kind"] == Kind.MOBILE

    failed = _django_admin(tmp_path, good, secret)
    assert failed.returncode == 1 and failed.stdout == ""
    assert len(failed.stderr.strip().splitlines()) == 1 and "secret.pdf" in failed.stderr
