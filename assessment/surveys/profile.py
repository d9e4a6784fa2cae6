"""The respondent profile of the SKM questionnaire (PermenPANRB 14/2017): the choices and their labels."""
from __future__ import annotations

GENDERS = (("L", "Laki-laki"), ("P", "Perempuan"))
EDUCATION = (("sd", "SD ke bawah"), ("smp", "SMP"), ("sma", "SMA/SMK"), ("diploma", "D1–D3"),
             ("s1", "D4/S1"), ("s2", "S2"), ("s3", "S3"))
OCCUPATIONS = (("pns", "PNS"), ("tni", "TNI"), ("polri", "POLRI"), ("swasta", "Swasta"),
               ("wirausaha", "Wirausaha"), ("lainnya", "Lainnya"))
MIN_AGE, MAX_AGE = 10, 110
# Age groups of the report's profile table: (label, lowest age, highest age).
AGE_GROUPS = (("≤ 20 tahun", MIN_AGE, 20), ("21–30 tahun", 21, 30), ("31–40 tahun", 31, 40),
              ("41–50 tahun", 41, 50), ("51–60 tahun", 51, 60), ("> 60 tahun", 61, MAX_AGE))
NOT_STATED = "Tidak diisi"
PROFILE_FIELDS = (("gender", "Jenis kelamin", GENDERS), ("education", "Pendidikan", EDUCATION),
                  ("occupation", "Pekerjaan", OCCUPATIONS))


def age_group(age: int | None) -> str:
    if age is None:
        return NOT_STATED
    return next(label for label, low, high in AGE_GROUPS if low <= age <= high)
