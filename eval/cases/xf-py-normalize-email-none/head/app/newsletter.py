from app.emails import normalize_email


def subscribe(form, store):
    # The newsletter form's email field is optional (phone-only signups).
    email = normalize_email(form.get("email"))
    store.add(email=email, phone=form.get("phone"))
