"""Reports in the reader's language: headings translated, numbers and dates in the locale's
formats; the committed catalogues complete and compiled."""

from __future__ import annotations

import polib
import pytest
from django.utils import translation

from clusters.access import system_access
from reports.selectors.cluster import cluster_report_data
from reports.selectors.program import program_report_data
from reports.services.render import report_html
from tests.report_helpers import load_demo, tables

pytestmark = pytest.mark.django_db
NBSP = "\u00a0"


@pytest.fixture
def demo(django_capture_on_commit_callbacks):
    return load_demo(django_capture_on_commit_callbacks)


def _cluster(demo, language: str) -> str:
    access = system_access(demo.program, label="test")
    data = cluster_report_data(access=access, cluster=demo.cluster("ocean-tech"), year=2021)
    return report_html(kind="cluster", data=data, language=language)


def _program(demo, language: str) -> str:
    data = program_report_data(access=system_access(demo.program, label="test"), year=2021)
    return report_html(kind="program", data=data, language=language)


def test_the_spanish_cluster_report(demo):
    html = _cluster(demo, "es")

    assert '<html lang="es">' in html
    assert "<h1>Informe anual 2021: Ocean Tech Cluster</h1>" in html
    assert '<h2 id="financing-h">Financiación 2021</h2>' in html
    assert tables(html)["Financiación por mecanismo"] == [
        ["Mecanismo", "Importe (EUR)", "Proporción"],
        ["Pública", "450 000,00", "45,00 %"],
        ["Privada", "250 000,00", "25,00 %"],
        ["Proyectos", "300 000,00", "30,00 %"],
        ["Total", "1 000 000,00", "100,00 %"],
    ]
    assert f"se financió con 1{NBSP}000{NBSP}000,00 EUR: 45,00{NBSP}% pública" in html
    assert 'content: "Página " counter(page) " de " counter(pages);' in html


def test_the_norwegian_portfolio_report(demo):
    html = _program(demo, "nb")

    assert '<html lang="nb">' in html
    assert "<h1>Porteføljerapport 2021: Demo national cluster programme</h1>" in html
    assert '<h2 id="toc-h">Innhold</h2>' in html
    assert tables(html)["Finansiering etter mekanisme 2021"] == [
        ["Mekanisme", "Beløp (EUR)", "Andel"],
        ["Offentlig", "716 400,00", "39,45 %"],
        ["Privat", "618 000,00", "34,03 %"],
        ["Prosjekt", "481 600,00", "26,52 %"],
        ["Totalt", "1 816 000,00", "100,00 %"],
    ]
    assert f"1{NBSP}816{NBSP}000,00" in html
    assert "Rapporteringsperioden for 2021 varte fra 1. januar 2022 til 31. mars 2022." in html
    assert 'content: "Side " counter(page) " av " counter(pages);' in html


def test_the_english_report_keeps_english_formats(demo):
    html = _program(demo, "en")

    assert "1,816,000.00" in html
    assert "The 2021 reporting period ran from Jan. 1, 2022 to March 31, 2022." in html


def test_a_chart_is_labelled_in_the_language(demo):
    html = _cluster(demo, "nb")

    assert 'aria-label="Finansiering 2021 etter kilde.' in html
    assert ">Offentlig 45 %</text>" in html.replace(NBSP, " ")
    assert "Nasjonalt klyngeprogram" in html  # the catalogue's source, translated


@pytest.mark.parametrize("language", ["en", "es", "nb"])
def test_the_compiled_catalogue_matches_the_po_file(language):
    """Every text is translated, and the committed .mo says what the .po says (through the
    merged catalogues: a clash with another app's text would show here). After editing a
    .po file: `make messages`."""
    po = polib.pofile(f"reports/locale/{language}/LC_MESSAGES/django.po")
    with translation.override(language):
        for entry in po:
            if entry.msgid_plural:
                assert all(entry.msgstr_plural.values()), entry.msgid
                assert (
                    translation.ngettext(entry.msgid, entry.msgid_plural, 2)
                    == (entry.msgstr_plural[1])
                )
            elif entry.msgctxt:
                assert translation.pgettext(entry.msgctxt, entry.msgid) == entry.msgstr
            else:
                assert entry.msgstr, entry.msgid
                assert translation.gettext(entry.msgid) == entry.msgstr
