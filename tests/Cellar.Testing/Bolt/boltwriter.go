// boltwriter: a test-time peer for Cellar, built against the reference BoltDB library.
//
//	boltwriter write FILE          commit transactions without pause until killed
//	                               (prints "ready" once the first commit is durable)
//	boltwriter create FILE SHAPE   create a file of the given shape and exit
//	                               (small, nested, inline, overflow, large)
//	boltwriter check FILE          run the library's own Tx.Check; exit 0 when sound
package main

import (
	"encoding/binary"
	"fmt"
	"math/rand"
	"os"
	"runtime"
	"runtime/debug"
	"time"

	bolt "go.etcd.io/bbolt"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: boltwriter write|create|check FILE [SHAPE]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "write":
		err = write(os.Args[2])
	case "create":
		shape := "small"
		if len(os.Args) > 3 {
			shape = os.Args[3]
		}
		err = create(os.Args[2], shape)
	case "check":
		os.Exit(check(os.Args[2]))
	default:
		err = fmt.Errorf("unknown mode %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func key(i int) []byte {
	k := make([]byte, 8)
	binary.BigEndian.PutUint64(k, uint64(i))
	return k
}

func value(r *rand.Rand, n int) []byte {
	v := make([]byte, n)
	r.Read(v)
	return v
}

func write(path string) error {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 10 * time.Second})
	if err != nil {
		return err
	}
	defer db.Close()
	r := rand.New(rand.NewSource(time.Now().UnixNano()))
	for round := 0; ; round++ {
		err := db.Update(func(tx *bolt.Tx) error {
			b, err := tx.CreateBucketIfNotExists([]byte("activities"))
			if err != nil {
				return err
			}
			for i := 0; i < 20; i++ {
				if err := b.Put(key(r.Intn(4000)), value(r, 100+r.Intn(3000))); err != nil {
					return err
				}
			}
			if err := b.Delete(key(r.Intn(4000))); err != nil {
				return err
			}
			user, err := b.CreateBucketIfNotExists([]byte(fmt.Sprintf("user-%03d", r.Intn(50))))
			if err != nil {
				return err
			}
			return user.Put(key(r.Intn(100)), value(r, 10+r.Intn(200)))
		})
		if err != nil {
			return err
		}
		if round == 0 {
			fmt.Println("ready")
		}
	}
}

func create(path, shape string) error {
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	r := rand.New(rand.NewSource(42))
	return db.Update(func(tx *bolt.Tx) error {
		switch shape {
		case "small":
			b, err := tx.CreateBucket([]byte("things"))
			if err != nil {
				return err
			}
			for i := 0; i < 10; i++ {
				if err := b.Put(key(i), value(r, 20)); err != nil {
					return err
				}
			}
		case "inline":
			b, err := tx.CreateBucket([]byte("outer"))
			if err != nil {
				return err
			}
			for i := 0; i < 5; i++ {
				inner, err := b.CreateBucket([]byte(fmt.Sprintf("inner-%d", i)))
				if err != nil {
					return err
				}
				if err := inner.Put([]byte("k"), []byte("v")); err != nil {
					return err
				}
			}
		case "nested":
			for j := 0; j < 3; j++ {
				b, err := tx.CreateBucket([]byte(fmt.Sprintf("bucket-%d", j)))
				if err != nil {
					return err
				}
				for i := 0; i < 200; i++ {
					inner, err := b.CreateBucket([]byte(fmt.Sprintf("nested-%03d", i)))
					if err != nil {
						return err
					}
					for k := 0; k < 1+i%40; k++ {
						if err := inner.Put(key(k), value(r, 50)); err != nil {
							return err
						}
					}
				}
			}
		case "overflow":
			b, err := tx.CreateBucket([]byte("big"))
			if err != nil {
				return err
			}
			for i := 0; i < 30; i++ {
				if err := b.Put(key(i), value(r, 5000+r.Intn(60000))); err != nil {
					return err
				}
			}
		case "large":
			b, err := tx.CreateBucket([]byte("many"))
			if err != nil {
				return err
			}
			for i := 0; i < 20000; i++ {
				if err := b.Put(key(i), value(r, 100)); err != nil {
					return err
				}
			}
		default:
			return fmt.Errorf("unknown shape %q", shape)
		}
		return nil
	})
}

// watchdog ends a check that a torn file sends into a runaway allocation or a loop.
func watchdog() {
	start := time.Now()
	var stats runtime.MemStats
	for {
		time.Sleep(50 * time.Millisecond)
		runtime.ReadMemStats(&stats)
		if stats.HeapAlloc > 1<<30 {
			fmt.Println("runaway allocation: the library tried to hold over 1 GiB")
			os.Exit(3)
		}
		if time.Since(start) > 60*time.Second {
			fmt.Println("timeout: the library did not finish within 60 s")
			os.Exit(3)
		}
	}
}

func check(path string) (code int) {
	debug.SetPanicOnFault(true)
	go watchdog()
	defer func() {
		if p := recover(); p != nil {
			fmt.Printf("panic: %v\n", p)
			code = 1
		}
	}()
	db, err := bolt.Open(path, 0o400, &bolt.Options{ReadOnly: true, Timeout: 5 * time.Second})
	if err != nil {
		fmt.Printf("open: %v\n", err)
		return 1
	}
	defer db.Close()
	failed := false
	err = db.View(func(tx *bolt.Tx) error {
		for e := range tx.Check() {
			fmt.Println(e)
			failed = true
		}
		return nil
	})
	if err != nil {
		fmt.Printf("view: %v\n", err)
		return 1
	}
	if failed {
		return 1
	}
	fmt.Println("ok")
	return 0
}
