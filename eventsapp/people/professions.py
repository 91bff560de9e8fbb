"""職種: the one list of professions a person may give, with the stable code each survey answer
uses. Registration, the door's walk-in form and the survey templates all read it from here."""

# (code, label), in the order the forms show them; その他 asks for free text.
PROFESSION_CODES = (
    ("doctor", "医師"), ("dentist", "歯科医師"), ("pharmacist", "薬剤師"), ("nurse", "看護師"),
    ("visiting_nurse", "訪問看護師"), ("care_manager", "介護支援専門員"), ("msw", "MSW・社会福祉士"),
    ("care_worker", "介護福祉士・訪問介護員"), ("therapist", "PT・OT・ST"), ("dietitian", "管理栄養士"),
    ("dental_hygienist", "歯科衛生士"), ("ems", "消防・救急"), ("government", "行政"), ("citizen", "市民"),
    ("other", "その他"),
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
