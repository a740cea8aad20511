from app.mail import send_email


def welcome(user):
    send_email(user.email, "Welcome aboard", f"Hi {user.name}!")
