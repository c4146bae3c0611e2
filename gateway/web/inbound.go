package web

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/partnergate/partnergate/gateway/ingest"
	"github.com/partnergate/partnergate/gateway/store"
)

// maxFilename is the longest filename kept, in bytes.
const maxFilename = 255

type receipt struct {
	FileID int64  `json:"file_id"`
	Status string `json:"status"`
}

// inbound is POST /api/v1/inbound: the body is a file from the calling
// partner. It answers 202 once the file is durable.
func (a *api) inbound(r *http.Request) (*result, error) {
	p := PartnerFrom(r.Context())
	limit := a.d.MaxUploadBytes
	switch {
	case r.ContentLength > limit:
		return nil, tooLarge("the file is %d bytes; the limit is %d", r.ContentLength, limit)
	case r.ContentLength == 0:
		return nil, badRequest("the file is empty")
	}
	f, err := a.d.Pipeline.Receive(r.Context(), &ingest.ReceiveParams{
		PartnerID: p.ID, Channel: "api", Filename: cleanFilename(r.Header.Get("X-Filename")),
		Body: r.Body, MaxBytes: limit, // r.Body is also an http.MaxBytesReader: see limitBody
	})
	if err != nil {
		return nil, receiveError(err, limit)
	}
	loc := "/api/v1/files/" + strconv.FormatInt(f.ID, 10)
	return &result{status: http.StatusAccepted, body: receipt{FileID: f.ID, Status: f.Status},
		header: http.Header{"Location": {loc}}}, nil
}

// receiveError says why Receive refused a body.
func receiveError(err error, limit int64) error {
	var mbe *http.MaxBytesError
	switch {
	case errors.Is(err, store.ErrTooLarge) || errors.As(err, &mbe):
		return tooLarge("the file exceeds the upload limit of %d bytes", limit)
	case errors.Is(err, store.ErrEmpty):
		return badRequest("the file is empty")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return badRequest("the request body ended early")
	}
	return err
}

// cleanFilename keeps the base name of a client's filename: no directories,
// no control or formatting characters, no invalid UTF-8, at most
// maxFilename bytes. It returns "" when nothing is left.
func cleanFilename(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(c rune) rune {
		if c == utf8.RuneError || unicode.IsControl(c) || unicode.Is(unicode.Cf, c) {
			return -1
		}
		return c
	}, name)
	name = strings.TrimSpace(name)
	if name == "." || name == ".." {
		return ""
	}
	return truncateUTF8(name, maxFilename)
}

// truncateUTF8 cuts s to at most n bytes without splitting a character.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
