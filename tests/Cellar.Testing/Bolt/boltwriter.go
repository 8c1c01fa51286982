// boltwriter: a test-time peer for Cellar, built against the reference BoltDB library.
//
//	boltwriter write FILE          commit transactions without pause until killed
//	                               (prints "ready" once the first commit is durable)
//	boltwriter create FILE SHAPE   create a file of the given shape and exit
//	                               (small, nested, inline, overflow, large, huge)
//	boltwriter check FILE          run the library's own Tx.Check, then look every listed key up
//	                               again through the library (Tx.Check alone does not notice keys
//	                               a torn copy put under the wrong branch); exit 0 when sound
package main

import (
	"bytes"
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
	if shape == "huge" {
		// About 150 MB: 600,000 keys in 12 buckets, committed in batches.
		for batch := 0; batch < 12; batch++ {
			err := db.Update(func(tx *bolt.Tx) error {
				b, err := tx.CreateBucket([]byte(fmt.Sprintf("bucket-%02d", batch)))
				if err != nil {
					return err
				}
				for i := 0; i < 50000; i++ {
					if err := b.Put(key(i), value(r, 100+r.Intn(200))); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				return err
			}
		}
		return nil
	}
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
	err = db.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			return lookupAll(b, string(name))
		})
	})
	if err != nil {
		fmt.Println(err)
		return 1
	}
	fmt.Println("ok")
	return 0
}

// lookupAll lists a bucket's keys in cursor order and seeks each one again: in a sound file the
// keys ascend and every listed key is found where a lookup searches for it.
func lookupAll(b *bolt.Bucket, path string) error {
	var prev []byte
	list := b.Cursor()
	seek := b.Cursor()
	for k, v := list.First(); k != nil; k, v = list.Next() {
		if prev != nil && bytes.Compare(prev, k) >= 0 {
			return fmt.Errorf("bucket %s: keys out of order after %x", path, prev)
		}
		prev = append(prev[:0], k...)
		if found, _ := seek.Seek(k); !bytes.Equal(found, k) {
			return fmt.Errorf("bucket %s: key %x is listed but a lookup does not find it", path, k)
		}
		if v == nil {
			child := b.Bucket(k)
			if child == nil {
				return fmt.Errorf("bucket %s: nested bucket %x is listed but cannot be opened", path, k)
			}
			if err := lookupAll(child, path+"/"+string(k)); err != nil {
				return err
			}
		}
	}
	return nil
}
