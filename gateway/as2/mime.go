package as2

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/textproto"
	"strings"
)

// entity is one MIME entity: its headers and its raw body, as received.
type entity struct {
	header textproto.MIMEHeader
	body   []byte
}

// parseEntity splits raw into headers and body at the first empty line.
func parseEntity(raw []byte) (*entity, error) {
	end, sep := len(raw), 0
	if i := bytes.Index(raw, []byte("\r\n\r\n")); i >= 0 {
		end, sep = i+2, 2
	}
	if i := bytes.Index(raw, []byte("\n\n")); i >= 0 && i+1 < end {
		end, sep = i+1, 1
	}
	if bytes.HasPrefix(raw, []byte("\r\n")) {
		end, sep = 0, 2
	} else if bytes.HasPrefix(raw, []byte("\n")) {
		end, sep = 0, 1
	}
	if sep == 0 {
		return nil, errors.New("a MIME entity without the empty line after its headers")
	}
	h := textproto.MIMEHeader{}
	if end > 0 {
		var err error
		r := textproto.NewReader(bufio.NewReader(io.MultiReader(bytes.NewReader(raw[:end]), strings.NewReader("\r\n"))))
		if h, err = r.ReadMIMEHeader(); err != nil {
			return nil, errors.New("malformed MIME headers")
		}
	}
	return &entity{header: h, body: raw[end+sep:]}, nil
}

// mediaType returns the lowercase media type of e and its parameters;
// text/plain when e has none.
func (e *entity) mediaType() (string, map[string]string) {
	ct := e.header.Get("Content-Type")
	if ct == "" {
		return "text/plain", map[string]string{}
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return strings.ToLower(strings.TrimSpace(strings.SplitN(ct, ";", 2)[0])), map[string]string{}
	}
	return mt, params
}

// decoded returns the body with its Content-Transfer-Encoding undone.
func (e *entity) decoded() ([]byte, error) {
	switch strings.ToLower(strings.TrimSpace(e.header.Get("Content-Transfer-Encoding"))) {
	case "base64":
		clean := bytes.Map(func(r rune) rune {
			if r == '\r' || r == '\n' || r == ' ' || r == '\t' {
				return -1
			}
			return r
		}, e.body)
		out := make([]byte, base64.StdEncoding.DecodedLen(len(clean)))
		n, err := base64.StdEncoding.Decode(out, clean)
		if err != nil {
			return nil, errors.New("malformed base64 body")
		}
		return out[:n], nil
	case "quoted-printable":
		out, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(e.body)))
		if err != nil {
			return nil, errors.New("malformed quoted-printable body")
		}
		return out, nil
	}
	return e.body, nil
}

// filename returns the filename parameter of e's Content-Disposition, or
// the name parameter of its Content-Type, or "".
func (e *entity) filename() string {
	if _, params, err := mime.ParseMediaType(e.header.Get("Content-Disposition")); err == nil && params["filename"] != "" {
		return params["filename"]
	}
	_, params := e.mediaType()
	return params["name"]
}

// splitMultipart returns the raw body parts of a multipart body, each
// exactly as it was sent: the bytes between the line after a delimiter and
// the line break before the next (RFC 2046 section 5.1.1).
func splitMultipart(body []byte, boundary string) ([][]byte, error) {
	if boundary == "" {
		return nil, errors.New("a multipart entity without a boundary")
	}
	delim := []byte("--" + boundary)
	start := -1
	if bytes.HasPrefix(body, delim) {
		start = 0
	} else if i := bytes.Index(body, append([]byte("\n"), delim...)); i >= 0 {
		start = i + 1
	}
	var parts [][]byte
	for start >= 0 {
		after := body[start+len(delim):]
		if bytes.HasPrefix(after, []byte("--")) {
			return parts, nil
		}
		eol := bytes.IndexByte(after, '\n')
		if eol < 0 {
			break
		}
		content := after[eol+1:]
		next := bytes.Index(content, append([]byte("\n"), delim...))
		if next < 0 {
			break
		}
		part := content[:next]
		part = bytes.TrimSuffix(part, []byte("\r"))
		parts = append(parts, part)
		start = len(body) - len(content) + next + 1
	}
	return nil, errors.New("a multipart body without its closing delimiter")
}
