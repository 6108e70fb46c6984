"""Short codes are a compatibility promise: a printed leaflet's QR code points to q/<code>/ for years,
so a code never changes once published. The demo county's codes are pinned here as literals."""
from __future__ import annotations

from pathlib import Path

import pytest

from generator import qr

# Published with the demo county's leaflets. Never edit a value: a change means every leaflet already
# printed points nowhere. A new service adds a line; a removed one keeps its code reserved.
PUBLISHED: dict[str, dict[str, str]] = {
    "zh-Hans": {
        "agricultural-machinery-subsidy": "ggnmy3k", "agricultural-weather-alerts": "bctijw4",
        "basic-pension-urban-rural": "2xwdxuz", "birth-medical-certificate": "jacwpfg",
        "birth-registration": "ql3nui2", "business-annual-report": "qzkwwsr", "business-deregistration": "t73h7cx",
        "business-licence": "l45pa4l", "business-start-up-loan": "bs5vggf", "childhood-vaccination": "4nwzr3c",
        "death-registration": "aqvmftr", "disability-certificate": "ntlvvbv",
        "disability-living-allowance": "5wzyu4i", "driving-licence-renewal": "ei7i7ap",
        "e-social-security-card": "ybtfl6q", "elderly-allowance": "pevxgkd",
        "employee-social-insurance-registration": "kj5rn2r", "family-doctor-signup": "f4zvb6f",
        "farmland-protection-subsidy": "coag2vf", "food-business-licence": "6w6cdny",
        "foreign-work-permit": "uga76rd", "foreigner-accommodation-registration": "q5hbwiw",
        "foreigner-residence-permit": "5lh7vaw", "funeral-subsidy": "quft4tj",
        "household-registration-transfer": "wrusgbh", "job-seeker-registration": "6st5qpk",
        "kindergarten-enrolment": "kbs2h7w", "marriage-registration": "jnsubab", "maternity-allowance": "tyeg32o",
        "medical-expense-reimbursement": "sxsonpt", "minimum-living-allowance": "mbe56mu",
        "newborn-medical-insurance": "lu3zo53", "online-job-matching": "fx5ybnz", "passport-application": "pugslpp",
        "pension-claim-employees": "p6re7nk", "pension-eligibility-certification": "2lsu3lw",
        "primary-school-enrolment": "cd3uto4", "residence-permit": "pfnxgri", "resident-id-card": "ciwvu7l",
        "rural-housing-site-application": "x2e5zzg", "serious-illness-medical-assistance": "mhxfoox",
        "student-financial-aid": "exi4drd", "survivor-pension-benefit": "aujd2qu",
        "tax-registration-and-invoices": "ar7j6mm", "unemployment-insurance-benefit": "b7wfoud",
        "vehicle-annual-inspection": "icggtcc", "vocational-training-subsidy": "ibhun5j",
    },
    "en": {
        "agricultural-machinery-subsidy": "2oqdlts", "agricultural-weather-alerts": "rhgprna",
        "basic-pension-urban-rural": "r7rl2tu", "birth-medical-certificate": "yxoqllz",
        "birth-registration": "64sskfg", "business-annual-report": "ste7umi", "business-deregistration": "uvrsjml",
        "business-licence": "k42dh6f", "business-start-up-loan": "ils5sx7", "childhood-vaccination": "7jx7eoy",
        "death-registration": "daaenej", "disability-certificate": "xke4jcy",
        "disability-living-allowance": "vqh2i2c", "driving-licence-renewal": "c25r6pt",
        "e-social-security-card": "iil4xhc", "elderly-allowance": "nc65gbw",
        "employee-social-insurance-registration": "qh55jrt", "family-doctor-signup": "flsnlyz",
        "farmland-protection-subsidy": "inaptjn", "food-business-licence": "gudyaom",
        "foreign-work-permit": "r2zz4kt", "foreigner-accommodation-registration": "7u53hoc",
        "foreigner-residence-permit": "lw577oc", "funeral-subsidy": "zjrhd32",
        "household-registration-transfer": "g6m5dmg", "job-seeker-registration": "nzphxmd",
        "kindergarten-enrolment": "4hskwrx", "marriage-registration": "wy26nww", "maternity-allowance": "54fjqwc",
        "medical-expense-reimbursement": "2pdr4wr", "minimum-living-allowance": "aei2qdr",
        "newborn-medical-insurance": "uojzzli", "online-job-matching": "rpo4uzz", "passport-application": "hqbbx74",
        "pension-claim-employees": "brncjqq", "pension-eligibility-certification": "oxovstu",
        "primary-school-enrolment": "trzctja", "residence-permit": "jha5zan", "resident-id-card": "wlmm5dk",
        "rural-housing-site-application": "ggnrlfp", "serious-illness-medical-assistance": "bxssbtu",
        "student-financial-aid": "m2ruupm", "survivor-pension-benefit": "m26asvi",
        "tax-registration-and-invoices": "spnal63", "unemployment-insurance-benefit": "ixdstxi",
        "vehicle-annual-inspection": "u6u3oks", "vocational-training-subsidy": "p4b2oxy",
    },
}


def published_url(base: str, lang: str, service_id: str) -> str:
    """The address a printed QR code carries, from the pinned code (never from the code under test)."""
    return f"{base}q/{PUBLISHED[lang][service_id]}/"


@pytest.mark.parametrize("lang", sorted(PUBLISHED))
def test_published_short_codes_never_change(lang: str) -> None:
    changed = [f"{lang}/{sid}: published {code}, now {qr.short_code(lang, sid)}"
               for sid, code in PUBLISHED[lang].items() if qr.short_code(lang, sid) != code]
    assert changed == [], ("short codes of published leaflets changed; every copy already printed would point "
                           "nowhere (a code never changes once published):\n" + "\n".join(changed))


def test_every_demo_service_has_a_published_code() -> None:
    ids = {p.stem for p in (Path(__file__).resolve().parent.parent / "catalog" / "services").glob("*.yml")}
    for lang, codes in PUBLISHED.items():
        assert set(codes) == ids, f"{lang}: pin the codes of new services here when they are first published"
        assert len(set(codes.values())) == len(codes)  # no two services share a code


def test_short_path_is_the_code_under_q() -> None:
    assert qr.short_path("en", "birth-registration") == f"q/{PUBLISHED['en']['birth-registration']}/"
    assert qr.short_code("EN", "birth-registration") == PUBLISHED["en"]["birth-registration"]  # case of the tag
