package webhooks

import (
	"bytes"
	"net/http"
)

func Deliver(url string, payload []byte) error {
	_, err := http.DefaultClient.Post(url, "application/json", bytes.NewReader(payload))
	return err
}
