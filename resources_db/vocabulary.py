"""The public vocabulary (contract §1) and the maps from each source's codes to it.

A source code is mapped only where its meaning is confirmed by the locator's own labels
(`resources_db/seed/samhsa/locator_filter_codes.json`) or, for FindTreatment.gov, by the
plain text of the value itself. Anything else stays unmapped and is kept on the record as a
taxonomy term in the source's own vocabulary, so it is never lost.

The order of NEEDS, PAYMENT_VALUES and POPULATIONS fixes the bit positions of the search
index masks: append new keys at the end, never reorder.
"""

from __future__ import annotations

from collections.abc import Iterable

NEEDS: tuple[str, ...] = (
    "detox",
    "moud",
    "outpatient",
    "residential",
    "housing",
    "insurance",
    "transportation",
    "recovery_community",
    "peer_support",
    "mutual_aid",
    "harm_reduction",
    "mental_health",
    "crisis",
)

INSURANCE_QUERY_VALUES: tuple[str, ...] = ("medicaid", "medicare", "private", "military", "none")

PAYMENT_VALUES: tuple[str, ...] = (
    "medicaid",
    "medicare",
    "private",
    "military",
    "ihs_tribal",
    "self_pay",
    "sliding_fee",
    "payment_assistance",
    "free",
    "state_funded",
)

POPULATIONS: tuple[str, ...] = (
    "adults",
    "youth",
    "veterans",
    "lgbtq",
    "deaf_hard_of_hearing",
    "women",
    "pregnant",
    "men",
    "criminal_justice",
)

#: What a person's insurance answer accepts among the payment values of a resource.
INSURANCE_ACCEPTS: dict[str, frozenset[str]] = {
    "medicaid": frozenset({"medicaid"}),
    "medicare": frozenset({"medicare"}),
    "private": frozenset({"private"}),
    "military": frozenset({"military"}),
    "none": frozenset({"free", "sliding_fee", "payment_assistance", "state_funded"}),
}

# --- Locator / National Directory codes (confirmed by locator_filter_codes.json) ---------

NEED_CODES: dict[str, str] = {
    "DT": "detox",
    "METH": "moud",
    "BU": "moud",
    "NU": "moud",
    "OTP": "moud",
    "OP": "outpatient",
    "RES": "residential",
    "HI": "residential",
    "HH": "housing",
    "CO": "mental_health",
}

#: type_facility values of the GeoDa mental health file / FindTreatment typeFacility.
FACILITY_TYPE_NEEDS: dict[str, str] = {"MH": "mental_health"}

PAYMENT_CODES: dict[str, str] = {
    "MD": "medicaid",
    "MC": "medicare",
    "PI": "private",
    "MI": "military",
    "ITU": "ihs_tribal",
    "SF": "self_pay",
    "SS": "sliding_fee",
    "PA": "payment_assistance",
    "NP": "free",
}

POPULATION_CODES: dict[str, str] = {
    "ADLT": "adults",
    "CHLD": "youth",
    "VET": "veterans",
    "GL": "lgbtq",
    "AH": "deaf_hard_of_hearing",
}

#: Locator language codes (with and without their label suffix) -> ISO 639-1, only where the
#: locator's label names a language that has an ISO 639-1 code. Creole (which one is not
#: said), Hmong, Hopi, Lakota and Yupik have none and stay unmapped.
LANGUAGE_CODES: dict[str, str] = {
    "SP": "es",
    "F4": "ar",
    "F17": "zh",
    "F25": "fa",
    "F28": "fr",
    "F30": "de",
    "F31": "el",
    "F35": "he",
    "F36": "hi",
    "F42": "it",
    "F43": "ja",
    "F47": "ko",
    "N23": "nv",
    "N24": "oj",
    "F66": "pl",
    "F67": "pt",
    "F70": "ru",
    "F81": "tl",
    "F92": "vi",
}

#: Language names as written by the locator ("Other Languages" values) -> ISO 639-1.
LANGUAGE_NAMES: dict[str, str] = {
    "english": "en",
    "spanish": "es",
    "arabic": "ar",
    "any chinese language": "zh",
    "chinese": "zh",
    "farsi": "fa",
    "french": "fr",
    "german": "de",
    "greek": "el",
    "hebrew": "he",
    "hindi": "hi",
    "italian": "it",
    "japanese": "ja",
    "korean": "ko",
    "navajo": "nv",
    "ojibwa": "oj",
    "polish": "pl",
    "portuguese": "pt",
    "russian": "ru",
    "tagalog": "tl",
    "vietnamese": "vi",
}

# --- FindTreatment.gov service values (f2 category -> f3 value -> key) ---------------------

FINDTREATMENT_NEEDS: dict[str, dict[str, str]] = {
    "TC": {
        "Detoxification": "detox",
        "Mental health treatment": "mental_health",
        "Treatment for co-occurring serious mental health illness/serious emotional "
        "disturbance and substance use disorders": "mental_health",
    },
    "SET": {
        "Residential detoxification": "detox",
        "Outpatient detoxification": "detox",
        "Hospital inpatient detoxification": "detox",
        "Outpatient": "outpatient",
        "Regular outpatient treatment": "outpatient",
        "Intensive outpatient treatment": "outpatient",
        "Outpatient methadone/buprenorphine or naltrexone treatment": "moud",
        "Residential": "residential",
        "Short-term residential": "residential",
        "Long-term residential": "residential",
        "Hospital inpatient": "residential",
        "Hospital inpatient treatment": "residential",
        "Transitional housing, halfway house, or sober home": "housing",
    },
    "OM": {
        "Methadone used in Treatment": "moud",
        "Buprenorphine used in Treatment": "moud",
        "Naltrexone used in Treatment": "moud",
    },
    "OT": {
        "Methadone used in Treatment": "moud",
        "Buprenorphine used in Treatment": "moud",
        "Naltrexone used in Treatment": "moud",
        "Methadone maintenance": "moud",
        "Methadone maintenance for predetermined time": "moud",
        "Buprenorphine maintenance": "moud",
        "Buprenorphine maintenance for predetermined time": "moud",
        "Prescribes/administers buprenorphine": "moud",
        "Prescribes/administers naltrexone": "moud",
        "Relapse prevention from naltrexone": "moud",
        "SAMHSA-certified Opioid Treatment Program": "moud",
    },
    # "Ancillary Services" (f1) whose own text names what a person asks for. "Self-help
    # groups" is only an offer (below): it does not say the groups are recovery meetings.
    "AS": {
        "Transportation assistance": "transportation",
        "Consumer-run (peer-support) services": "peer_support",
        "Housing services": "housing",
        "Supported housing": "housing",
    },
}

#: FindTreatment.gov values a card lists under `offers`, as a person would say them, in the
#: order a card shows them. Confirmed by the values' own text (docs/directory.md "Code
#: mappings"). "Buprenorphine with naloxone (Suboxone®)" is a medication for opioid use
#: disorder, not naloxone to reverse an overdose: no bundled source confirms naloxone kits.
FINDTREATMENT_OFFERS: dict[str, dict[str, str]] = {
    "AS": {
        "Transportation assistance": "help with transportation",
        "Consumer-run (peer-support) services": "peer support",
        "Housing services": "help with housing",
        "Supported housing": "supported housing",
        "Self-help groups": "self-help groups",
    },
}

#: The offers in Spanish, for a Spanish speaker's cards (`card_language` "es").
OFFER_LABELS_ES: dict[str, str] = {
    "help with transportation": "ayuda con el transporte",
    "peer support": "apoyo de pares",
    "help with housing": "ayuda con la vivienda",
    "supported housing": "vivienda con apoyo",
    "self-help groups": "grupos de autoayuda",
}

FINDTREATMENT_PAYMENTS: dict[str, dict[str, str]] = {
    "PAY": {
        "Medicaid": "medicaid",
        "Medicare": "medicare",
        "Private health insurance": "private",
        "Military insurance (e.g., TRICARE)": "military",
        "IHS/Tribal/Urban (ITU) funds": "ihs_tribal",
        "Cash or self-payment": "self_pay",
        "No payment accepted": "free",
    },
    "PYAS": {
        "Sliding fee scale (fee is based on income and other factors)": "sliding_fee",
        "Payment assistance (check with facility for details)": "payment_assistance",
    },
}

FINDTREATMENT_POPULATIONS: dict[str, dict[str, str]] = {
    "AGE": {"Adults": "adults", "Children/adolescents": "youth"},
    "SG": {
        "Veterans": "veterans",
        "Lesbian, gay, bisexual, or transgender (LGBT) clients": "lgbtq",
        "Adult women": "women",
        "Adult men": "men",
        "Pregnant/postpartum women": "pregnant",
        "Clients referred from the court/judicial system": "criminal_justice",
    },
    "SL": {"Services for the deaf and hard of hearing": "deaf_hard_of_hearing"},
}


def offer_terms() -> dict[tuple[str, str], str]:
    """(taxonomy, stored code) of each source code that is an offer -> the offer's label.

    Stored codes are the importers' `SourceCode.code`: FindTreatment's are "f2:value".
    """
    return {
        ("findtreatment", f"{category}:{value}"): label
        for category, values in FINDTREATMENT_OFFERS.items()
        for value, label in values.items()
    }


def ordered_offers(labels: Iterable[str]) -> list[str]:
    """Offer labels without repeats, in the order of FINDTREATMENT_OFFERS."""
    order = [label for values in FINDTREATMENT_OFFERS.values() for label in values.values()]
    present = set(labels)
    return [label for label in dict.fromkeys(order) if label in present]


def mask_of(values: Iterable[str], vocabulary: tuple[str, ...]) -> int:
    """Bit mask of `values` by their position in `vocabulary` (unknown values are ignored)."""
    mask = 0
    for value in values:
        if value in vocabulary:
            mask |= 1 << vocabulary.index(value)
    return mask


def insurance_mask(insurance: str) -> int:
    """Mask of the payment values that satisfy an insurance query value."""
    return mask_of(INSURANCE_ACCEPTS[insurance], PAYMENT_VALUES)


def language_code(raw: str) -> str | None:
    """ISO 639-1 code for a locator language code ("F4", "F4-Arabic") or name ("Arabic")."""
    text = raw.strip()
    code = text.split("-", 1)[0].upper()
    if code in LANGUAGE_CODES:
        return LANGUAGE_CODES[code]
    return LANGUAGE_NAMES.get(text.lower())
