package remote

import (
	"context"
	"encoding/binary"
	"io"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/pkg/sftp"
)

// noPosixRename sits between an SFTP client and server and answers
// posix-rename@openssh.com with "operation unsupported", like a server
// without the extension.
type noPosixRename struct {
	mu      sync.Mutex // serialises packets to the client
	toCli   io.Writer
	refused atomic.Int32
}

func readPacket(r io.Reader) ([]byte, error) {
	var n [4]byte
	if _, err := io.ReadFull(r, n[:]); err != nil {
		return nil, err
	}
	p := make([]byte, 4+binary.BigEndian.Uint32(n[:]))
	copy(p, n[:])
	_, err := io.ReadFull(r, p[4:])
	return p, err
}

func (f *noPosixRename) send(p []byte) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	_, err := f.toCli.Write(p)
	return err
}

// fromClient forwards packets to the server except posix-rename.
func (f *noPosixRename) fromClient(r io.Reader, toSrv io.WriteCloser) {
	defer toSrv.Close()
	const ext = "posix-rename@openssh.com"
	for {
		p, err := readPacket(r)
		if err != nil {
			return
		}
		// length(4) type(1) id(4) name-length(4) name
		if len(p) > 13+len(ext) && p[4] == 200 && string(p[13:13+len(ext)]) == ext {
			f.refused.Add(1)
			status := []byte{0, 0, 0, 0, 101}
			status = append(status, p[5:9]...)                // request id
			status = binary.BigEndian.AppendUint32(status, 8) // SSH_FX_OP_UNSUPPORTED
			status = binary.BigEndian.AppendUint32(status, 0) // message
			status = binary.BigEndian.AppendUint32(status, 0) // language
			binary.BigEndian.PutUint32(status, uint32(len(status)-4))
			if f.send(status) != nil {
				return
			}
			continue
		}
		if _, err := toSrv.Write(p); err != nil {
			return
		}
	}
}

func (f *noPosixRename) fromServer(r io.Reader) {
	for {
		p, err := readPacket(r)
		if err != nil || f.send(p) != nil {
			return
		}
	}
}

type pipeRWC struct {
	io.Reader
	io.WriteCloser
}

func TestWriteAtomicWithoutPosixRename(t *testing.T) {
	c2f, cw := io.Pipe()
	fr, f2c := io.Pipe()
	f2s, srvIn := io.Pipe()
	srvOut, s2f := io.Pipe()
	f := &noPosixRename{toCli: f2c}
	go f.fromClient(c2f, srvIn)
	go f.fromServer(srvOut)
	srv, err := sftp.NewServer(pipeRWC{f2s, s2f})
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve()
	c, err := sftp.NewClientPipe(fr, cw)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		f2c.Close() // the client's Close waits for its reader to end
		c.Close()
		srv.Close()
	}()

	dir := t.TempDir()
	p := filepath.Join(dir, "pf.conf")
	for _, content := range []string{"pass\n", "block all\n"} {
		if err := writeAtomic(context.Background(), c, p, []byte(content), 0o600); err != nil {
			t.Fatalf("writeAtomic: %v", err)
		}
		if got, err := os.ReadFile(p); err != nil || string(got) != content {
			t.Errorf("content = %q, %v; want %q", got, err, content)
		}
	}
	if f.refused.Load() != 2 {
		t.Errorf("posix-rename tried %d times, want 2 (then the fallback)", f.refused.Load())
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("directory holds %d entries, want only pf.conf", len(entries))
	}
}
