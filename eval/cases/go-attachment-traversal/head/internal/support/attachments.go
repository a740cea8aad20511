package support

import (
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"
)

type AttachmentHandler struct {
	Dir string
}

func (h AttachmentHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ticket := r.PathValue("ticket")
	name := r.URL.Query().Get("name")
	if ticket == "" || name == "" {
		http.Error(w, "ticket and name are required", http.StatusBadRequest)
		return
	}
	path := filepath.Join(h.Dir, ticket, name)
	f, err := os.Open(path)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	if ct := mime.TypeByExtension(filepath.Ext(name)); ct != "" {
		w.Header().Set("Content-Type", ct)
	}
	w.Header().Set("Content-Disposition", "attachment")
	io.Copy(w, f)
}
