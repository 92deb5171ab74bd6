;; The inner product of the RGB-uv histogram (rgb-uv-histogram.ts): out[k][l] += Σ_q A[k][q]·B[l][q]
;; for one block of pixels, two pixels per f64x2 lane pair, four output bins per sweep.
;; Source of histogram-kernel.wasm.ts (npm run build:wasm); a unit test recompiles it and compares.
;;
;; accumulate(a, b, out, m2, h, stride): byte offsets of A (h rows), B (h rows) and out (h×h,
;; row-major); m2 = pixels in the block rounded up to even (the caller zeroes A's padding);
;; stride = bytes from one row of A or B to the next; h must be a multiple of 4.
(module
  (memory (export "memory") 8)
  (func (export "accumulate")
    (param $a i32) (param $b i32) (param $out i32) (param $m2 i32) (param $h i32) (param $stride i32)
    (local $k i32) (local $l i32) (local $q i32) (local $end i32) (local $ak i32) (local $o i32)
    (local $b0 i32) (local $b1 i32) (local $b2 i32) (local $b3 i32)
    (local $x v128) (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local.set $end (i32.shl (local.get $m2) (i32.const 3)))
    (local.set $k (i32.const 0))
    (block $k_done
      (loop $k_loop
        (br_if $k_done (i32.ge_u (local.get $k) (local.get $h)))
        (local.set $ak (i32.add (local.get $a) (i32.mul (local.get $k) (local.get $stride))))
        (local.set $l (i32.const 0))
        (block $l_done
          (loop $l_loop
            (br_if $l_done (i32.ge_u (local.get $l) (local.get $h)))
            (local.set $b0 (i32.add (local.get $b) (i32.mul (local.get $l) (local.get $stride))))
            (local.set $b1 (i32.add (local.get $b0) (local.get $stride)))
            (local.set $b2 (i32.add (local.get $b1) (local.get $stride)))
            (local.set $b3 (i32.add (local.get $b2) (local.get $stride)))
            (local.set $s0 (v128.const i64x2 0 0))
            (local.set $s1 (v128.const i64x2 0 0))
            (local.set $s2 (v128.const i64x2 0 0))
            (local.set $s3 (v128.const i64x2 0 0))
            (local.set $q (i32.const 0))
            (block $q_done
              (loop $q_loop
                (br_if $q_done (i32.ge_u (local.get $q) (local.get $end)))
                (local.set $x (v128.load (i32.add (local.get $ak) (local.get $q))))
                (local.set $s0 (f64x2.add (local.get $s0) (f64x2.mul (local.get $x) (v128.load (i32.add (local.get $b0) (local.get $q))))))
                (local.set $s1 (f64x2.add (local.get $s1) (f64x2.mul (local.get $x) (v128.load (i32.add (local.get $b1) (local.get $q))))))
                (local.set $s2 (f64x2.add (local.get $s2) (f64x2.mul (local.get $x) (v128.load (i32.add (local.get $b2) (local.get $q))))))
                (local.set $s3 (f64x2.add (local.get $s3) (f64x2.mul (local.get $x) (v128.load (i32.add (local.get $b3) (local.get $q))))))
                (local.set $q (i32.add (local.get $q) (i32.const 16)))
                (br $q_loop)))
            (local.set $o (i32.add (local.get $out)
              (i32.shl (i32.add (i32.mul (local.get $k) (local.get $h)) (local.get $l)) (i32.const 3))))
            (f64.store offset=0 (local.get $o) (f64.add (f64.load offset=0 (local.get $o))
              (f64.add (f64x2.extract_lane 0 (local.get $s0)) (f64x2.extract_lane 1 (local.get $s0)))))
            (f64.store offset=8 (local.get $o) (f64.add (f64.load offset=8 (local.get $o))
              (f64.add (f64x2.extract_lane 0 (local.get $s1)) (f64x2.extract_lane 1 (local.get $s1)))))
            (f64.store offset=16 (local.get $o) (f64.add (f64.load offset=16 (local.get $o))
              (f64.add (f64x2.extract_lane 0 (local.get $s2)) (f64x2.extract_lane 1 (local.get $s2)))))
            (f64.store offset=24 (local.get $o) (f64.add (f64.load offset=24 (local.get $o))
              (f64.add (f64x2.extract_lane 0 (local.get $s3)) (f64x2.extract_lane 1 (local.get $s3)))))
            (local.set $l (i32.add (local.get $l) (i32.const 4)))
            (br $l_loop)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $k_loop)))))
