"""年代: the one list of age bands a citizen may give, on the registration form (stored as the
label in Person.age_band) and in the citizens' survey (answered by code)."""

# (code, label), youngest first.
AGE_BANDS = (
    ("under_40", "40歳未満"), ("40s", "40代"), ("50s", "50代"), ("60s", "60代"), ("70s", "70代"),
    ("80_over", "80歳以上"),
)
# The labels, as stored in Person.age_band.
AGE_BAND_LABELS = tuple(label for _, label in AGE_BANDS)
