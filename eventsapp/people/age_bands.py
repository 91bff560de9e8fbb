"""年代: the one list of age bands a citizen may give, on the registration form (stored as the
label in Person.age_band) and in the citizens' survey (answered by code)."""
from ..formtools import N_

# (code, label), youngest first; the labels are stored as they are (N_: in the catalogue, for the
# form's English).
AGE_BANDS = (
    ("under_40", N_("40歳未満")), ("40s", N_("40代")), ("50s", N_("50代")), ("60s", N_("60代")),
    ("70s", N_("70代")), ("80_over", N_("80歳以上")),
)
# The labels, as stored in Person.age_band.
AGE_BAND_LABELS = tuple(label for _, label in AGE_BANDS)
