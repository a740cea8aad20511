package config

type Server struct {
	ListenAddr string `json:"listenAddr"`
	ReadTimeoutSeconds int `json:"readTimeoutSeconds"`
}
