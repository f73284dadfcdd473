package torchfile
import ("testing";"os";"time";"math/rand";"fmt")
func TestZZTime(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for _, n := range []string{"mlp.pt","views.pt","dtypes.pt","buffer.pt","params.pt","protocol4.pt","module.pt","net.pt","script.pt"} {
		b, _ := os.ReadFile("testdata/"+n)
		for i := 0; i < 3000; i++ {
			c := append([]byte(nil), b...)
			for k := 0; k < 1+r.Intn(8); k++ {
				switch r.Intn(3) {
				case 0: c[r.Intn(len(c))] = byte(r.Intn(256))
				case 1: j := r.Intn(len(c)); c = append(c[:j], c[j+1:]...)
				case 2: j := r.Intn(len(c)); c = append(c[:j], append([]byte{byte(r.Intn(256))}, c[j:]...)...)
				}
			}
			done := make(chan bool)
			go func() { select { case <-done: case <-time.After(3*time.Second): os.WriteFile("/tmp/tfx/hang.pt", c, 0o644); fmt.Println("HANG", n, i); os.Exit(3) } }()
			readBytes(c)
			close(done)
		}
	}
}
