def connect(url):
    return {"url": url}
