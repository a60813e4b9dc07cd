import pytest
from wsis.reviews import services
from wsis.reviews.tests.test_report import dataset, _indicators  # noqa

pytestmark = pytest.mark.django_db


def test_write(dataset, django_capture_on_commit_callbacks, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cycle, rev = dataset
    _indicators()
    for lang in ("en", "ar", "zh-hans"):
        with django_capture_on_commit_callbacks(execute=True):
            report = services.report_request(cycle=cycle, actor=rev, language=lang)
        report.refresh_from_db()
        assert report.status == "done", report.messages
        if lang == "en":
            services.report_publish(report=report, actor=rev)
            report.refresh_from_db()
        open(f"/tmp/docs_out/review-{lang}.pdf", "wb").write(report.pdf_file.read())
        open(f"/tmp/docs_out/review-{lang}.docx", "wb").write(report.docx_file.read())
