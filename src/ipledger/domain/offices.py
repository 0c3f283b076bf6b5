"""WIPO ST.3 codes: the two-letter names of countries and IP organisations, and near-miss suggestions."""

from __future__ import annotations

# ISO 3166-1 alpha-2 countries and the codes of IP organisations.
_ISO_3166 = (
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY "
    "BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM "
    "FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT "
    "JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN "
    "MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT "
    "PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL "
    "TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW"
)
IP_ORGANISATIONS = {
    "AP": "African Regional Intellectual Property Organization (ARIPO)",
    "BX": "Benelux Office for Intellectual Property (BOIP)",
    "EA": "Eurasian Patent Organization (EAPO)",
    "EM": "European Union Intellectual Property Office (EUIPO)",
    "EP": "European Patent Office (EPO)",
    "GC": "Patent Office of the Cooperation Council for the Arab States of the Gulf (GCC)",
    "IB": "International Bureau of WIPO",
    "OA": "African Intellectual Property Organization (OAPI)",
    "QZ": "Community Plant Variety Office (CPVO)",
    "WO": "World Intellectual Property Organization (WIPO)",
    "XN": "Nordic Patent Institute (NPI)",
    "XU": "International Union for the Protection of New Varieties of Plants (UPOV)",
    "XV": "Visegrad Patent Institute (VPI)",
}
ST3_CODES = frozenset(_ISO_3166.split()) | frozenset(IP_ORGANISATIONS)


def close_codes(code: str, n: int = 3) -> list[str]:
    """ST.3 codes one letter away from ``code``: IP offices first, then the nearest letter."""

    def distance(candidate: str) -> tuple[bool, int]:
        diff = [abs(ord(a) - ord(b)) for a, b in zip(candidate, code) if a != b]
        return candidate not in IP_ORGANISATIONS, diff[0]

    near = [c for c in ST3_CODES if sum(a != b for a, b in zip(c, code)) == 1]
    return sorted(near, key=lambda c: (*distance(c), c))[:n]
