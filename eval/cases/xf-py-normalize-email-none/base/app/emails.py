def normalize_email(email):
    if email is None:
        return None
    return email.strip().lower()
