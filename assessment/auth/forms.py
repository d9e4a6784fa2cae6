from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from .passwords import MAX_LENGTH, MIN_LENGTH, context_words, password_problem


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
            Length(min=MIN_LENGTH, max=MAX_LENGTH,
                   message=f"Kata sandi baru minimal {MIN_LENGTH} karakter, paling banyak {MAX_LENGTH}."),
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
        self.wrong_current_password = False  # a guess, counted by the view's rate limit

    def validate_current_password(self, field):
        if not self.user.check_password(field.data):
            self.wrong_current_password = True
            raise ValidationError("Kata sandi saat ini salah.")

    def validate_new_password(self, field):
        if field.errors:  # too short or too long: the Length message says it already
            return
        if field.data == self.current_password.data:
            raise ValidationError("Kata sandi baru harus berbeda dari yang lama.")
        if error := password_problem(field.data, self.user.username, context_words(self.user)):
            raise ValidationError(error)
