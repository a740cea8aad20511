def send_email(subject, to, body):
    message = {"to": to, "subject": subject, "body": body}
    return _deliver(message)


def _deliver(message):
    return message
