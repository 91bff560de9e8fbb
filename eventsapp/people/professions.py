"""職種: the one list of professions a person may give, with the stable code each survey answer
uses. Registration, the door's walk-in form and the survey templates all read it from here."""
from ..formtools import N_

# (code, label), in the order the forms show them; その他 asks for free text. The labels are
# stored as they are; N_ puts them in the catalogue, for the forms' English.
PROFESSION_CODES = (
    ("doctor", N_("医師")), ("dentist", N_("歯科医師")), ("pharmacist", N_("薬剤師")), ("nurse", N_("看護師")),
    ("visiting_nurse", N_("訪問看護師")), ("care_manager", N_("介護支援専門員")), ("msw", N_("MSW・社会福祉士")),
    ("care_worker", N_("介護福祉士・訪問介護員")), ("therapist", N_("PT・OT・ST")), ("dietitian", N_("管理栄養士")),
    ("dental_hygienist", N_("歯科衛生士")), ("ems", N_("消防・救急")), ("government", N_("行政")),
    ("citizen", N_("市民")), ("other", N_("その他")),
)
# The labels, as stored in Person.profession.
PROFESSIONS = tuple(label for _, label in PROFESSION_CODES)
# The one profession of the list that is not a job in care or medicine.
CITIZEN = dict(PROFESSION_CODES)["citizen"]


def works_in_care(profession: str) -> bool | None:
    """Whether a person's 職種 says they work in care or medicine (a joint event asks them
    the professionals' questions): any profession but 市民 does, a free-text その他 too; 市民
    does not. Empty says nothing (None): the citizens' form does not ask it, and professionals
    may leave it blank."""
    profession = (profession or "").strip()
    if not profession:
        return None
    return profession != CITIZEN
