package config

type Server struct {
	ListenAddr string `json:"listen_addr"`
	ReadTimeoutSeconds int `json:"read_timeout_seconds"`
}
