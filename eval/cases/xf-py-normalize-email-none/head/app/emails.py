def normalize_email(email):
    return email.strip().lower()
