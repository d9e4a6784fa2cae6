from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

MIN_PASSWORD_LENGTH = 10
# Refused as a new password whatever the length rule says: lists of leaked passwords start with these.
# "demo-pekppp" is the demo accounts' password: it keeps working for them, but nobody may choose it.
COMMON_PASSWORDS = frozenset({
    "demo-pekppp", "password123", "password1234", "passw0rd123", "qwertyuiop", "qwerty12345", "qwerty123456",
    "1q2w3e4r5t", "asdfghjkl1", "abcdefghij", "abcd123456", "abc1234567", "iloveyou123", "admin12345",
    "administrator", "katasandi123", "passwordku", "rahasia123", "rahasia1234", "bismillah123", "indonesia123",
    "merdeka1945", "pekppp2023", "pekppp2024", "pekppp2025",
})
TOO_EASY = "Kata sandi ini terlalu mudah ditebak; pilih yang lain."


def password_policy_error(password: str, username: str) -> str | None:
    """Why ``password`` may not be chosen by ``username``, or None. Length is checked by the field itself."""
    folded = password.strip().casefold()
    if folded == username.strip().casefold():
        return "Kata sandi tidak boleh sama dengan nama pengguna."
    if "".join(password.split()).isdigit():
        return "Kata sandi tidak boleh hanya berisi angka; tambahkan huruf atau tanda baca."
    if folded in COMMON_PASSWORDS or len(set(folded)) < 3:
        return TOO_EASY
    return None


class LoginForm(FlaskForm):
    username = StringField("Nama pengguna", validators=[DataRequired("Isi nama pengguna."), Length(max=60)])
    password = PasswordField("Kata sandi", validators=[DataRequired("Isi kata sandi."), Length(max=200)])
    submit = SubmitField("Masuk")


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField("Kata sandi saat ini", validators=[DataRequired("Isi kata sandi saat ini.")])
    new_password = PasswordField(
        "Kata sandi baru",
        validators=[
            DataRequired("Isi kata sandi baru."),
            Length(min=MIN_PASSWORD_LENGTH, max=200, message=f"Kata sandi baru minimal {MIN_PASSWORD_LENGTH} karakter."),
        ],
    )
    confirm = PasswordField(
        "Ulangi kata sandi baru",
        validators=[DataRequired("Ulangi kata sandi baru."), EqualTo("new_password", "Kedua kata sandi baru tidak sama.")],
    )
    submit = SubmitField("Simpan kata sandi")

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def validate_current_password(self, field):
        if not self.user.check_password(field.data):
            raise ValidationError("Kata sandi saat ini salah.")

    def validate_new_password(self, field):
        if field.data == self.current_password.data:
            raise ValidationError("Kata sandi baru harus berbeda dari yang lama.")
        if error := password_policy_error(field.data, self.user.username):
            raise ValidationError(error)
