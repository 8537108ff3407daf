(ns regpen.dot
  "Correctly rounded signed sums of exact products, for the training numerics (SPEC.md §7).

  A training reduction is RN64(scale · Σ_k ±Π factors_k): dot products Σ a_i·b_i, a residual
  y_i − Σ_j x_ij·w_j, the duality gap with terms of up to five factors. `accumulator` collects the
  terms and rounds their exact total once:

  - A product of two doubles is split without error into p + e (p = fl(a·b), e = fma(a, b, −p)),
    which is exact whenever p is finite and |p| ≥ 2^-960: then the exact error is a multiple of
    2^-1074 with at most 53 significant bits (see `safe-min`).
  - The parts are added into a Shewchuk expansion (the algorithm of Python's math.fsum): a list of
    non-overlapping doubles of increasing magnitude whose exact sum is the exact sum of every part so
    far. TwoSum is exact in binary64 unless it overflows, which is detected.
  - `rounded` rounds the expansion once as fsum does (ties to even, with its half-way correction);
    `rounded-scaled` multiplies the exact total by num/den (1/n, 2/n) and rounds once through
    BigInteger arithmetic.
  - Terms outside the safe range (a product that is tiny, underflows or overflows), an overflowing
    expansion, or an expansion that grows too long switch the accumulator to an exact BigInteger
    sum m·2^e. This is the reference the fast path is tested against.

  Plain dot products (residuals, column dots, coordinate updates) first try `rounded-dot`: Sum2
  with FMA two-products and a running error bound, O(1) per term, whose rounding `certified` proves
  or refuses; a refusal (a tie, a tiny or huge term, a special value) runs the accumulator instead.

  Non-finite factors follow SPEC §7.1: a term with a NaN factor or 0 × ∞ is NaN; infinite terms of
  both signs make NaN; else the sum is the infinity of the infinite terms. An exact zero is +0."
  (:require [regpen.exact :as exact])
  (:import (java.math BigInteger)))

(set! *warn-on-reflection* true)

;; ---------------------------------------------------------------------------------------------
;; Exact dyadic arithmetic: a finite double is m·2^e with an integer m.

(defn significand
  "The signed integer significand m of a finite double x, with x = m·2^(exponent x)."
  ^long [^double x]
  (let [bits (Double/doubleToRawLongBits x)
        frac (bit-and bits 0xfffffffffffff)
        m (if (zero? (bit-and bits 0x7ff0000000000000)) frac (bit-or frac 0x10000000000000))]
    (if (neg? bits) (- m) m)))

(defn exponent
  "The exponent e of a finite double x, with x = (significand x)·2^e."
  ^long [^double x]
  (let [biased (bit-and (unsigned-bit-shift-right (Double/doubleToRawLongBits x) 52) 0x7ff)]
    (if (zero? biased) -1074 (- biased 1075))))

(defn round-quotient
  "RN64(m·2^e / d) for integers m (any sign) and d > 0, with overflow to ±inf and gradual
  underflow; an exact zero is +0. The quotient is cut to an integer q of at least 55 bits and a
  sticky bit records whether the cut dropped anything: every rounding boundary of the result lies
  at least two bits above the sticky bit, so 2q + sticky rounds as m·2^e/d does."
  ^double [^BigInteger m ^long e ^BigInteger d]
  (let [a (.abs m)
        k (max 0 (- 56 (- (.bitLength a) (.bitLength d))))
        qr (.divideAndRemainder (.shiftLeft a (int k)) d)
        ^BigInteger q (aget qr 0)
        ^BigInteger r (aget qr 1)
        x (exact/round-dyadic (cond-> (.shiftLeft q 1) (pos? (.signum r)) (.add BigInteger/ONE))
                              (- e k 1) :float64)]
    (if (neg? (.signum m)) (- x) x)))

;; ---------------------------------------------------------------------------------------------
;; The accumulator

(def ^:const safe-min
  "Products at least this large (and finite) split exactly by FMA: |a·b| ≥ 2^-960 with a·b =
  ma·mb·2^(ea+eb) and ma·mb < 2^106 gives ea + eb ≥ −1065, so a·b − fl(a·b) is a multiple of
  2^-1074 below ulp(fl(a·b))/2 ≤ 2^(ea+eb+52): at most 53 bits, representable."
  (Math/scalb 1.0 (int -960)))

(def ^:private ^:const capacity
  "Expansions longer than this move to the exact sum; sums of data in a sane range need a handful."
  64)

(definterface Sum
  ;; reset: back to an empty sum. add: + x. addProduct: + a·b. addProducts: + the product of every
  ;; factor. rounded: RN64 of the exact total. roundedScaled: RN64(num/den · total), den > 0.
  ;; exactTotal, exactExponent: the finite exact total as m·2^e. addExact: + m·2^e.
  (^void reset [])
  (^void add [^double x])
  (^void addProduct [^double a ^double b])
  (^void addProducts [^doubles factors])
  (^double rounded [])
  (^double roundedScaled [^long num ^long den])
  (^java.math.BigInteger exactTotal [])
  (^long exactExponent [])
  (^void addExact [^java.math.BigInteger m ^long e]))

(definterface Internal
  ;; The accumulator's own steps (deftype methods must come from an interface; not an API).
  (^void grow [^double x])
  (^void addDouble [^double x])
  (^void flush [])
  (^double roundExact [^long num ^long den])
  (^double fsumRound [])
  (^double specialValue []))

;; Special-value flags.
(def ^:private ^:const pos-inf 1)
(def ^:private ^:const neg-inf 2)
(def ^:private ^:const nan 4)

(defn- special-flag
  "The flag of a term whose IEEE product v (of the same factors) is NaN or infinite."
  ^long [^double v]
  (cond (Double/isNaN v) nan (pos? v) pos-inf :else neg-inf))

(deftype Accumulator [^doubles parts
                      ^doubles scratch
                      ^:unsynchronized-mutable ^long size
                      ^:unsynchronized-mutable ^BigInteger big
                      ^:unsynchronized-mutable ^long big-exp
                      ^:unsynchronized-mutable ^long special]
  Sum
  (reset [_]
    (set! size 0)
    (set! big nil)
    (set! big-exp 0)
    (set! special 0))

  (add [this x]
    (cond
      (not (Double/isFinite x)) (set! special (bit-or special (special-flag x)))
      (zero? x) nil
      (some? big) (.addExact this (BigInteger/valueOf (significand x)) (exponent x))
      :else (.grow this x)))

  (addProduct [this a b]
    (let [p (* a b)]
      (cond
        (not (and (Double/isFinite a) (Double/isFinite b)))
        ;; The IEEE product is exactly the special term: NaN for NaN or 0 × ∞, else signed ∞.
        (set! special (bit-or special (special-flag p)))

        (or (zero? a) (zero? b)) nil

        (or (some? big) (not (Double/isFinite p)) (< (Math/abs p) safe-min))
        (.addExact this (.multiply (BigInteger/valueOf (significand a))
                                   (BigInteger/valueOf (significand b)))
                   (+ (exponent a) (exponent b)))

        :else
        (let [e (Math/fma a b (- p))]
          (.grow this p)
          (when-not (zero? e) (.grow this e))))))

  (addProducts [this factors]
    (let [n (alength factors)
          ;; One pass for SPEC §7.1's cases: a non-finite factor, a zero factor, a NaN, the sign.
          flags (loop [k 0, flags 0]
                  (if (< k n)
                    (let [f (aget factors k)]
                      (recur (inc k)
                             (cond-> flags
                               (not (Double/isFinite f)) (bit-or 1)
                               (zero? f) (bit-or 2)
                               (Double/isNaN f) (bit-or 4)
                               (neg? (Math/copySign 1.0 f)) (bit-xor 8))))
                    flags))]
      (cond
        (not (zero? (bit-and flags 1)))
        (set! special (bit-or special (cond (not (zero? (bit-and flags 6))) nan
                                            (zero? (bit-and flags 8)) pos-inf
                                            :else neg-inf)))

        (not (zero? (bit-and flags 2))) nil

        :else
        ;; Expand the product factor by factor into exact two-product parts (scratch holds two
        ;; buffers of 32: at most 2^(k−1) parts for k ≤ 6 factors). A part outside the safe range
        ;; sends the whole term to the exact sum.
        (let [half (quot (alength scratch) 2)
              m (if (> n 6)
                  -1
                  (do (aset scratch 0 (aget factors 0))
                      (loop [k 1, from 0, m 1]
                        (if (< k n)
                          (let [f (aget factors k)
                                to (- half from)
                                m' (long (loop [t 0, out 0]
                                     (if (< t m)
                                       (let [x (aget scratch (+ from t))
                                             p (* x f)]
                                         (if (or (not (Double/isFinite p)) (< (Math/abs p) safe-min))
                                           -1
                                           (let [e (Math/fma x f (- p))]
                                             (aset scratch (+ to out) p)
                                             (if (zero? e)
                                               (recur (inc t) (inc out))
                                               (do (aset scratch (+ to out 1) e)
                                                   (recur (inc t) (+ out 2)))))))
                                       out)))]
                            (if (neg? m') -1 (recur (inc k) to m')))
                          ;; Leave the result at the start of scratch.
                          (do (when (pos? from) (System/arraycopy scratch from scratch 0 m))
                              m)))))]
          (if (neg? m)
            (.addExact this
                       (areduce factors i acc BigInteger/ONE
                                (.multiply ^BigInteger acc (BigInteger/valueOf (significand (aget factors i)))))
                       (areduce factors i e 0 (+ e (exponent (aget factors i)))))
            (dotimes [t m] (.grow this (aget scratch t))))))))

  (rounded [this]
    (cond
      (not (zero? special)) (.specialValue this)
      (some? big) (.roundExact this 1 1)
      :else
      (let [r (.fsumRound this)]
        ;; Near the top of the range the half-way correction could overflow; decide exactly.
        (if (and (Double/isFinite r) (< (Math/abs r) (Math/scalb 1.0 (int 1020))))
          (+ r 0.0)
          (.roundExact this 1 1)))))

  (roundedScaled [this num den]
    (if (zero? special)
      (.roundExact this num den)
      (.specialValue this)))

  (exactTotal [this] (.flush this) big)
  (exactExponent [this] (.flush this) big-exp)

  Object
  (toString [_] (str "#regpen.dot/Accumulator{:size " size " :exact? " (some? big) "}"))

  Internal
  (grow [this x]
    ;; Shewchuk's grow-expansion: TwoSum x into each part, keeping the non-zero low parts.
    (loop [j 0, i 0, x x]
      (if (< j size)
        ;; Order the pair by magnitude, so that FastTwoSum's three operations are exact.
        (let [part (aget parts j)
              swap? (< (Math/abs x) (Math/abs part))
              a (if swap? part x)
              b (if swap? x part)
              hi (+ a b)]
          (if (Double/isFinite hi)
            (let [lo (- b (- hi a))]
              (if (zero? lo)
                (recur (inc j) i hi)
                (do (aset parts i lo) (recur (inc j) (inc i) hi))))
            ;; Overflow: parts[0, i), a, b and parts(j, size) still hold the exact total.
            (let [pending (concat (take i parts) [a b] (drop (inc j) (take size parts)))]
              (set! size 0)
              (doseq [t pending] (.addDouble this (double t))))))
        (if (< i capacity)
          (do (aset parts i x) (set! size (inc i)))
          (let [pending (conj (vec (take i parts)) x)]
            (set! size 0)
            (doseq [t pending] (.addDouble this (double t))))))))

  (addDouble [this x]
    (when-not (zero? x)
      (.addExact this (BigInteger/valueOf (significand x)) (exponent x))))

  (addExact [_ m e]
    (cond
      (nil? big) (do (set! big m) (set! big-exp e))
      (>= e big-exp) (set! big (.add big (.shiftLeft m (int (- e big-exp)))))
      :else (do (set! big (.add (.shiftLeft big (int (- big-exp e))) m))
                (set! big-exp e))))

  (flush [this]
    ;; Moves the expansion into the exact sum (every part is an exact double).
    (let [n size]
      (set! size 0)
      (when (nil? big) (set! big BigInteger/ZERO) (set! big-exp 0))
      (dotimes [k n] (.addDouble this (aget parts k)))))

  (roundExact [this num den]
    (.flush this)
    (round-quotient (.multiply big (BigInteger/valueOf num)) big-exp (BigInteger/valueOf den)))

  (fsumRound [_]
    ;; math.fsum's final step: add the parts from the top until the sum is inexact, then correct a
    ;; result that lies exactly half-way, using the sign of the next lower part.
    (if (zero? size)
      0.0
      (loop [k (dec size), hi (aget parts (dec size))]
        (if (pos? k)
          (let [y (aget parts (dec k))
                s (+ hi y)
                lo (- y (- s hi))]
            (if (zero? lo)
              (recur (dec k) s)
              (let [k (dec k)]
                (if (and (pos? k)
                         (or (and (neg? lo) (neg? (aget parts (dec k))))
                             (and (pos? lo) (pos? (aget parts (dec k))))))
                  (let [y2 (* lo 2.0)
                        x2 (+ s y2)]
                    (if (== y2 (- x2 s)) x2 s))
                  s))))
          hi))))

  (specialValue [_]
    (if (or (not (zero? (bit-and special nan))) (== special (bit-or pos-inf neg-inf)))
      Double/NaN
      (if (== special pos-inf) Double/POSITIVE_INFINITY Double/NEGATIVE_INFINITY))))

(defn accumulator
  "A new, empty correctly rounded sum (see the namespace doc). Not thread-safe: one per thread."
  ^regpen.dot.Accumulator []
  (Accumulator. (double-array capacity) (double-array 64) 0 nil 0 0))

;; ---------------------------------------------------------------------------------------------
;; Fast path for plain dot products

(def ^:const certify-margin
  "1 + 2^-20: covers the rounding of the certificate's own two-term sum."
  (+ 1.0 (Math/scalb 1.0 (int -20))))

(defn certified
  "RN64(S) for an exact S known to satisfy |S − (s + c)| ≤ bound, or NaN when the interval may hold
  a rounding boundary (then only an exact sum can decide). r = fl(s + c) with s + c = r + d exactly
  (TwoSum); if |d| + bound is below half the distance from r to either neighbour, S rounds to r."
  ^double [^double s ^double c ^double bound]
  (let [r (+ s c)
        z (- r s)
        d (+ (- s (- r z)) (- c z))]
    (cond
      (not (and (Double/isFinite r) (Double/isFinite d) (Double/isFinite bound))) Double/NaN
      ;; s + c = 0 with no rounding in c: the exact sum is 0, which is +0.
      (zero? r) (if (and (zero? d) (zero? bound)) 0.0 Double/NaN)
      ;; Near the subnormals the margin arithmetic itself could round; let the exact sum decide.
      (< (Math/abs r) (Math/scalb 1.0 (int -900))) Double/NaN
      :else
      (let [a (Math/abs r)
            half (* 0.5 (min (Math/ulp a) (Math/ulp (Math/nextDown a))))
            offset (* (+ (Math/abs d) bound) certify-margin)]
        (if (< offset half) r Double/NaN)))))

(defmacro rounded-dot
  "RN64(xa·xb + Σ_{i<n} a·b), where `a` and `b` are double expressions in the symbol `i`.

  The fast path is Sum2 (Ogita–Rump–Oishi) with FMA two-products: s collects the products by
  TwoSum (exact), c collects the TwoSum and product errors (exact values) by plain additions, each
  of which errs by at most u·|its result|; F, the sum of those |results|, bounds c's error by u·F,
  doubled (2^-52·F) to cover F's own rounding. `certified` then proves the rounding or gives up.
  It gives up (and `fallback`, an expression, is evaluated instead) when a product is outside the
  FMA-safe range, anything overflows, or the result is tiny or too close to a rounding boundary:
  the fallback is the exact `accumulator`, so the result is the same either way."
  [[i n] a b xa xb fallback]
  `(let [n# (long ~n)
         r# (double (loop [~i -1, s# 0.0, c# 0.0, f# 0.0]
              (if (< ~i n#)
                (let [x# (double (if (neg? ~i) ~xa ~a))
                      y# (double (if (neg? ~i) ~xb ~b))
                      p# (* x# y#)]
                  (if (or (not (Double/isFinite p#))
                          (and (< (Math/abs p#) safe-min) (not (zero? x#)) (not (zero? y#))))
                    Double/NaN
                    (let [e# (Math/fma x# y# (- p#))
                          t# (+ s# p#)
                          z# (- t# s#)
                          err# (+ (- s# (- t# z#)) (- p# z#))
                          c1# (+ c# err#)
                          c2# (+ c1# e#)]
                      (recur (inc ~i) t# c2# (+ f# (+ (Math/abs c1#) (Math/abs c2#)))))))
                (certified s# c# (* f# (Math/scalb 1.0 (int -52)))))))]
     (if (Double/isNaN r#) (double ~fallback) r#)))
