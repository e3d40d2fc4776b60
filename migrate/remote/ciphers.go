package remote

import (
	"runtime"

	"golang.org/x/sys/cpu"
)

// DefaultCiphers returns the cipher preference: AES-GCM first when this
// CPU has AES instructions (it is then the fastest SSH cipher), else
// ChaCha20-Poly1305, which is faster than software AES. The server picks
// the first of ours that it supports, so the list only states preference.
func DefaultCiphers() []string {
	return cipherOrder(hasAESHardware())
}

func cipherOrder(aes bool) []string {
	gcm := []string{"aes128-gcm@openssh.com", "aes256-gcm@openssh.com"}
	chacha := []string{"chacha20-poly1305@openssh.com"}
	ctr := []string{"aes128-ctr", "aes192-ctr", "aes256-ctr"}
	if aes {
		return append(append(gcm, chacha...), ctr...)
	}
	return append(append(chacha, gcm...), ctr...)
}

func hasAESHardware() bool {
	switch runtime.GOARCH {
	case "amd64", "386":
		return cpu.X86.HasAES && cpu.X86.HasPCLMULQDQ
	case "arm64":
		return cpu.ARM64.HasAES && cpu.ARM64.HasPMULL
	case "s390x":
		return cpu.S390X.HasAES && cpu.S390X.HasAESGCM
	case "ppc64le", "ppc64":
		return true // POWER8 and later have vector AES
	}
	return false
}
