"""The published European figure the reports compare a portfolio with.

Cluster organisations in Europe drew about 45 % of their funding from public sources in
2016-2017, down from earlier years. A programme whose country is European gets that line
on its public-share trend and a sentence comparing its own share with it; elsewhere the
comparison would mislead, so it is left out.
"""

from __future__ import annotations

from decimal import Decimal

EUROPEAN_PUBLIC_SHARE = Decimal("0.45")
EUROPEAN_PERIOD = "2016–2017"

# Europe, explicitly: the EU 27, the EFTA states, the United Kingdom, the European
# microstates, the Western Balkans, Moldova and Ukraine (the countries whose cluster
# organisations take part in European cluster programmes).
EUROPEAN_COUNTRIES = frozenset(
    {
        # EU 27
        "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
        "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
        # EFTA and the United Kingdom
        "IS", "LI", "NO", "CH", "GB",
        # microstates
        "AD", "MC", "SM", "VA",
        # Western Balkans, Moldova, Ukraine
        "AL", "BA", "ME", "MK", "RS", "MD", "UA",
    }
)  # fmt: skip


def is_european(country: str | None) -> bool:
    return (country or "").upper() in EUROPEAN_COUNTRIES
