(ns regpen.exact
  "Correctly rounded scalar results (conformance/SPEC.md, spec 2.0) for regpen.core: every value and
  loss is the exact real value of its formula, rounded once to binary64 or binary32 (`fmt`).

    value = RN_F(Σ f_i·(c1·|w_i| + c2·w_i²))
    loss  = RN_F((1/n)·Σ (y_i − p_i)² + Σ f_i·(c1·|w_i| + c2·w_i²))   (exact residuals, exact n)

  c1 and c2 are the penalty's coefficients in the working format, nil when the penalty has no such
  part (L1 has no c2, L2 no c1: an absent part has no products, so it cannot make 0·∞). `w` and the
  residual arrays are double or float arrays (float32 values are exact doubles, so one set of
  kernels serves both formats: only the final rounding differs); `f` is the factors (a double
  array of working-format values) or nil. Two paths return the same bits:
  - the exact path adds the exact terms in fixed-point (Kulisch) accumulators, combines the sums
    with c1, c2 and n in BigInteger arithmetic, and rounds once, ties to even. It is the reference
    and the fallback.
  - the fast path: error-free Sum2 accumulation in primitive doubles with a running error bound,
    then c1·S1 + c2·S2 (+ SSE/n) in double-double arithmetic with its own bound, then a rounding
    test (`certify`): when the interval known to hold the exact value holds no rounding boundary,
    every point of it rounds alike, so the estimate's rounding is the exact value's. Otherwise the
    exact path decides.
  Numbers that are not doubles (integers of any size, ratios, decimals) become binary64 through
  `to-double`, also rounded once."
  (:import (java.math BigDecimal BigInteger)
           (java.util.concurrent CompletableFuture)
           (java.util.function Supplier)))

(set! *warn-on-reflection* true)

;; ---------------------------------------------------------------------------------------------
;; Target formats and rounding

(def ^:private formats
  "Precision p (bits), the exponent of the smallest subnormal's bit, and the largest exponent."
  {:float64 {:precision 53 :lsb-min -1074 :emax 1023}
   :float32 {:precision 24 :lsb-min -149 :emax 127}})

(defn- format-of [fmt]
  (or (formats fmt) (throw (IllegalArgumentException. (str "unknown format " fmt)))))

(defn round-dyadic
  "RN_F(m·2^e) for an integer m ≥ 0, as a double (exactly representable in `fmt`): the value rounded
  once to the format's precision, ties to even, with gradual underflow and overflow to +inf."
  ^double [^BigInteger m ^long e fmt]
  (if (zero? (.signum m))
    0.0
    (let [{:keys [^long precision ^long lsb-min ^long emax]} (format-of fmt)
          top (+ e (dec (.bitLength m)))          ; 2^top ≤ value < 2^(top+1)
          lsb (max (- top (dec precision)) lsb-min) ; weight of the result's last bit
          shift (- lsb e)
          q (if (<= shift 0)
              (.shiftLeft m (int (- shift)))
              (let [q (.shiftRight m (int shift))
                    rem (.subtract m (.shiftLeft q (int shift)))
                    c (.compareTo rem (.shiftLeft BigInteger/ONE (int (dec shift))))]
                (if (or (pos? c) (and (zero? c) (.testBit q 0)))
                  (.add q BigInteger/ONE)
                  q)))]
      ;; q has at most precision+1 bits (a carry), so it converts to double exactly.
      (if (> (+ lsb (dec (.bitLength ^BigInteger q))) emax)
        ##Inf
        (Math/scalb (.doubleValue ^BigInteger q) (int lsb))))))

(defn round-quotient
  "RN_F(m·2^e / d) for integers m ≥ 0 and d > 0. The quotient is cut to an integer q of at least
  p + 3 bits, and a sticky bit below it records whether the cut dropped anything: rounding
  boundaries lie at least two bits above the sticky bit, so 2q + sticky rounds like m·2^e/d."
  ^double [^BigInteger m ^long e ^BigInteger d fmt]
  (if (.equals BigInteger/ONE d)
    (round-dyadic m e fmt)
    (let [{:keys [^long precision]} (format-of fmt)
          k (max 0 (- (+ precision 3) (- (.bitLength m) (.bitLength d))))
          [^BigInteger q ^BigInteger r] (.divideAndRemainder (.shiftLeft m (int k)) d)]
      (round-dyadic (cond-> (.shiftLeft q 1) (pos? (.signum r)) (.add BigInteger/ONE))
                    (- e k 1) fmt))))

(defn- signed-quotient
  "RN64(n/d) for integers n (any sign) and d > 0, keeping the sign (also of a zero result)."
  ^double [^BigInteger n ^BigInteger d]
  (let [x (round-quotient (.abs n) 0 d :float64)]
    (if (neg? (.signum n)) (- x) x)))

(def ^:private ^:const decimal-exponent-limit
  "Decimals of magnitude beyond 10^±400 round to ±inf or ±0 in binary64 whatever their digits; the
  limit spares 10^(huge scale) from being computed."
  400)

(defn to-double
  "A number as binary64, correctly rounded (RN64 of its exact value), or nil for anything that is
  not a number. Doubles as they are; Floats, Longs and smaller integers convert exactly or by the
  JVM's round-to-nearest (long → double); BigInts, BigIntegers, Ratios and BigDecimals are rounded
  once here. (Clojure's own (double 2/3) goes through a 16-digit decimal and can be off by one ulp.)"
  [x]
  (cond
    (instance? Double x) x
    (or (instance? Float x) (instance? Long x) (instance? Integer x) (instance? Short x)
        (instance? Byte x))
    (.doubleValue ^Number x)
    (instance? clojure.lang.BigInt x) (signed-quotient (biginteger x) BigInteger/ONE)
    (instance? BigInteger x) (signed-quotient x BigInteger/ONE)
    (instance? clojure.lang.Ratio x) (let [^clojure.lang.Ratio r x]
                                       (signed-quotient (.numerator r) (.denominator r)))
    (instance? BigDecimal x)
    (let [^BigDecimal d x
          unscaled (.unscaledValue d)
          scale (.scale d)
          magnitude (- (.precision d) scale 1)]     ; 10^magnitude ≤ |d| < 10^(magnitude+1)
      (cond
        (zero? (.signum d)) 0.0
        (> magnitude decimal-exponent-limit) (if (neg? (.signum d)) ##-Inf ##Inf)
        (< magnitude (- decimal-exponent-limit)) (if (neg? (.signum d)) -0.0 0.0)
        (<= scale 0) (signed-quotient (.multiply unscaled (.pow BigInteger/TEN (- scale)))
                                      BigInteger/ONE)
        :else (signed-quotient unscaled (.pow BigInteger/TEN scale))))
    :else nil))

;; ---------------------------------------------------------------------------------------------
;; Special values (checked before any finite arithmetic)

(defmacro ^:private product-class
  "How the IEEE product of non-negative factors c, fi, x (x possibly NaN) behaves: 2 for NaN (a NaN
  factor, or 0·∞), 1 for +inf (an infinite factor and no zero), 0 when it is finite."
  [c fi x]
  `(let [c# ~c, fi# ~fi, x# ~x]
     (cond
       (Double/isNaN x#) 2
       (or (Double/isInfinite c#) (Double/isInfinite fi#) (Double/isInfinite x#))
       (if (or (zero? c#) (zero? fi#) (zero? x#)) 2 1)
       :else 0)))

(defn- special-value
  "NaN or +inf when the special-value rules decide the result, or nil when every product (and every
  squared residual) is finite. NaN wins over +inf. y and p (the loss's targets, or nil) give the
  residuals y_i − p_i, NaN for a NaN or ∞ − ∞, infinite when one is infinite; an infinite IEEE
  difference of finite y_i and p_i is also +inf, rightly: its exact square is at least 2^2046, so
  SSE/n (n < 2^31, a Java array's length) overflows whatever the other terms."
  [c1 c2 ^doubles w ^doubles f ^doubles y ^doubles p]
  (let [c1 (double (or c1 1.0))                   ; an absent part: a finite, non-zero stand-in,
        c2 (double (or c2 1.0))                   ; so that it changes no class
        n (alength w)
        m (if y (alength y) 0)
        weights (loop [i 0, k 0]
                  (if (< i n)
                    (let [x (Math/abs (aget w i))
                          fi (if f (aget f i) 1.0)
                          k (max k (long (product-class c1 fi x)) (long (product-class c2 fi x)))]
                      (if (== k 2) k (recur (inc i) k)))
                    k))
        residuals (if (== weights 2)
                    2
                    (loop [i 0, k 0]
                      (if (< i m)
                        (let [d (- (aget y i) (aget p i))]
                          (cond (Double/isNaN d) 2
                                (Double/isInfinite d) (recur (inc i) 1)
                                :else (recur (inc i) k)))
                        k)))]
    (case (max (long weights) (long residuals))
      2 ##NaN
      1 ##Inf
      nil)))

;; ---------------------------------------------------------------------------------------------
;; Exact path

(defn- significand
  "The integer significand m of a finite double x ≥ 0, where x = m·2^(binary-exponent x)."
  ^long [^double x]
  (let [bits (Double/doubleToRawLongBits x)
        frac (bit-and bits 0xfffffffffffff)]
    (if (zero? (bit-and bits 0x7ff0000000000000))
      frac
      (bit-or frac 0x10000000000000))))

(defn- binary-exponent
  "The exponent e of a finite double x ≥ 0, where x = (significand x)·2^e."
  ^long [^double x]
  (let [biased (bit-and (unsigned-bit-shift-right (Double/doubleToRawLongBits x) 52) 0x7ff)]
    (if (zero? biased) -1074 (- biased 1075))))

;; Exact sums are kept in a fixed-point accumulator that spans every bit an exact term can have:
;; terms are m·2^e with e ≥ −3222 (a factor times a square, all three subnormal) and below 2^3072.
;; Chunk k of the long array counts the bits of weight 2^(32k − 3222) and up. Chunks are signed
;; (the cross term 2·r_hi·r_lo of an exact squared residual may be negative) and may grow past 32
;; bits, but every operation adds or subtracts less than 2^32 to a chunk, at most six per element,
;; so no chunk can overflow before `normalize!` propagates the carries (every 2^24 elements, and
;; at the end).

(def ^:private ^:const lowest-exponent -3222)
(def ^:private ^:const chunk-count 200)
(def ^:private ^:const low-32 0xffffffff)

(defmacro ^:private defbits
  "Defines (name acc m e), which adds (op +) or subtracts (op -) m·2^e (0 ≤ m < 2^63,
  e ≥ lowest-exponent): the bits of m·2^(e mod 32) go to three consecutive chunks, 32 at a time."
  [name op]
  `(defn- ~name [~(with-meta 'acc {:tag 'longs}) ~(with-meta 'm {:tag 'long})
                 ~(with-meta 'e {:tag 'long})]
     (let [p# (- ~'e lowest-exponent)
           k# (unsigned-bit-shift-right p# 5)
           o# (bit-and p# 31)
           rest# (unsigned-bit-shift-right ~'m (- 32 o#))]
       (aset ~'acc k# (~op (aget ~'acc k#) (bit-and (bit-shift-left ~'m o#) low-32)))
       (aset ~'acc (inc k#) (~op (aget ~'acc (inc k#)) (bit-and rest# low-32)))
       (aset ~'acc (+ k# 2) (~op (aget ~'acc (+ k# 2)) (unsigned-bit-shift-right rest# 32))))))

(defbits add-bits! +)
(defbits sub-bits! -)

(defmacro ^:private defproduct
  "Defines (name acc a b e), which adds (with `bits` add-bits!) or subtracts (sub-bits!) a·b·2^e
  for 0 ≤ a, b < 2^54: the exact 128-bit product, split at bit 52 into two parts."
  [name bits]
  `(defn- ~name [~(with-meta 'acc {:tag 'longs}) ~(with-meta 'a {:tag 'long})
                 ~(with-meta 'b {:tag 'long}) ~(with-meta 'e {:tag 'long})]
     (let [lo# (unchecked-multiply ~'a ~'b)
           hi# (Math/multiplyHigh ~'a ~'b)]
       (~bits ~'acc (bit-and lo# 0xfffffffffffff) ~'e)
       (~bits ~'acc (bit-or (bit-shift-left hi# 12) (unsigned-bit-shift-right lo# 52)) (+ ~'e 52)))))

(defproduct add-product! add-bits!)
(defproduct sub-product! sub-bits!)

(defn- normalize!
  "Propagates carries so that every chunk is in [0, 2^32) (the value is unchanged; it is ≥ 0 and far
  below the top chunk, so the last carry is 0). Carries are arithmetic shifts: chunks may be
  negative."
  [^longs acc]
  (loop [k 0, carry 0]
    (when (< k (alength acc))
      (let [c (+ (aget acc k) carry)]
        (aset acc k (bit-and c low-32))
        (recur (inc k) (bit-shift-right c 32))))))

(defn- accumulated
  "The accumulator's value as a dyadic [m e] (m a BigInteger ≥ 0, value m·2^e). Only the chunks
  between the lowest and the highest non-zero one go into m, so its size follows the data."
  [^longs acc]
  (normalize! acc)
  (let [n (alength acc)
        lo (long (loop [k 0] (if (and (< k n) (zero? (aget acc k))) (recur (inc k)) k)))
        hi (long (loop [k (dec n)] (if (and (>= k lo) (zero? (aget acc k))) (recur (dec k)) k)))]
    (if (> lo hi)
      [BigInteger/ZERO 0]
      (let [span (inc (- hi lo))
            bytes (byte-array (inc (* 4 span)))]      ; big-endian, a leading zero byte: m ≥ 0
        (dotimes [r span]
          (let [digit (aget acc (+ lo r))
                at (- (alength bytes) (* 4 (inc r)))]
            (dotimes [b 4]
              (aset bytes (+ at b) (unchecked-byte (unsigned-bit-shift-right digit (* 8 (- 3 b))))))))
        [(BigInteger. bytes) (+ lowest-exponent (* 32 lo))]))))

(defn- add-term!
  "Adds the exact term of element x ≥ 0 (finite) with factor fi (1.0 when there are none)."
  [^longs acc squares? ^double x ^double fi]
  (when (and (pos? x) (pos? fi))
    (let [mx (significand x)
          ex (binary-exponent x)]
      (cond
        (and (not squares?) (== fi 1.0)) (add-bits! acc mx ex)
        (not squares?) (add-product! acc mx (significand fi) (+ ex (binary-exponent fi)))
        (== fi 1.0) (add-product! acc mx mx (* 2 ex))
        :else
        ;; fi·x² = fi·(a1·2^52 + a0)·2^(2ex), with x² = a1·2^52 + a0 split as in add-product!.
        (let [lo (unchecked-multiply mx mx)
              a0 (bit-and lo 0xfffffffffffff)
              a1 (bit-or (bit-shift-left (Math/multiplyHigh mx mx) 12)
                         (unsigned-bit-shift-right lo 52))
              mf (significand fi)
              e (+ (* 2 ex) (binary-exponent fi))]
          (add-product! acc mf a0 e)
          (add-product! acc mf a1 (+ e 52)))))))

(defn widen
  "A float array's values as a new double array (exact); a double array as it is."
  ^doubles [w]
  (if (instance? float/1 w)
    (let [^floats w w
          out (double-array (alength w))]
      (dotimes [i (alength w)] (aset out i (double (aget w i))))
      out)
    w))

(defn- exact-terms
  "The exact Σ f_i·|w_i| (kind :abs) or Σ f_i·w_i² (:squares) of finite terms, as a dyadic."
  [kind ^doubles w ^doubles f]
  (let [acc (long-array chunk-count)
        squares? (= kind :squares)]
    (dotimes [i (alength w)]
      (add-term! acc squares? (Math/abs (aget w i)) (if f (aget f i) 1.0))
      (when (zero? (bit-and (inc i) 0xffffff))
        (normalize! acc)))
    (accumulated acc)))

(defn- exact-residual-squares
  "The exact Σ (y_i − p_i)² of finite residuals, as a dyadic: each residual is r_hi + r_lo exactly
  (TwoSum; r_hi is finite here), and r² = r_hi² + 2·r_hi·r_lo + r_lo²."
  [^doubles y ^doubles p]
  (let [acc (long-array chunk-count)]
    (dotimes [i (alength y)]
      (let [a (aget y i)
            b (- (aget p i))
            hi (+ a b)
            z (- hi a)
            lo (+ (- a (- hi z)) (- b z))
            ahi (Math/abs hi)
            alo (Math/abs lo)]
        (when-not (zero? hi)
          (add-product! acc (significand ahi) (significand ahi) (* 2 (binary-exponent ahi))))
        (when-not (zero? lo)
          (add-product! acc (significand alo) (significand alo) (* 2 (binary-exponent alo)))
          (let [ma (significand ahi), mb (significand alo)
                e (+ 1 (binary-exponent ahi) (binary-exponent alo))]
            (if (= (neg? hi) (neg? lo))
              (add-product! acc ma mb e)
              (sub-product! acc ma mb e)))))
      (when (zero? (bit-and (inc i) 0xffffff))
        (normalize! acc)))
    (accumulated acc)))

;; Dyadic numbers [m e] = m·2^e with m a BigInteger ≥ 0: exact products and sums.

(defn- dyadic-of
  "A finite double x ≥ 0 as a dyadic."
  [^double x]
  [(BigInteger/valueOf (significand x)) (binary-exponent x)])

(defn- dyadic*
  [[^BigInteger m1 ^long e1] [^BigInteger m2 ^long e2]]
  [(.multiply m1 m2) (+ e1 e2)])

(defn- dyadic+
  [[^BigInteger m1 ^long e1 :as a] [^BigInteger m2 ^long e2 :as b]]
  (cond
    (zero? (.signum m1)) b
    (zero? (.signum m2)) a
    (<= e1 e2) [(.add m1 (.shiftLeft m2 (int (- e2 e1)))) e1]
    :else [(.add m2 (.shiftLeft m1 (int (- e1 e2)))) e2]))

(defn- penalty-dyadic
  "c1·Σ f_i·|w_i| + c2·Σ f_i·w_i², exactly, once `special-value` found every product finite. A
  coefficient may still be +inf (binary32) when w is empty: its sum is 0, so is its part."
  [c1 c2 w f]
  (reduce dyadic+ [BigInteger/ZERO 0]
          (for [[c kind] [[c1 :abs] [c2 :squares]]
                :when (and c (pos? (double c)))
                :let [[^BigInteger m :as s] (exact-terms kind w f)]
                :when (pos? (.signum m))]
            (dyadic* (dyadic-of c) s))))

(defn exact-penalty-value
  "The exact path of `penalty-value`."
  [c1 c2 w ^doubles f fmt]
  (let [w (widen w)]
    (if-some [special (special-value c1 c2 w f nil nil)]
      special
      (let [[m e] (penalty-dyadic c1 c2 w f)]
        (round-dyadic m e fmt)))))

(defn exact-loss-value
  "The exact path of `loss-value`."
  [y p c1 c2 w ^doubles f fmt]
  (let [y (widen y), p (widen p), w (widen w)]
    (if-some [special (special-value c1 c2 w f y p)]
      special
      ;; (SSE + n·penalty)/n: one exact numerator, one division rounded once.
      (let [n (BigInteger/valueOf (alength ^doubles y))
            [m e] (dyadic+ (exact-residual-squares y p)
                           (dyadic* [n 0] (penalty-dyadic c1 c2 w f)))]
        (round-quotient m e n fmt)))))

;; ---------------------------------------------------------------------------------------------
;; Fast path: partial sums as [hi lo bound], meaning |exact − (hi + lo)| ≤ bound

(def ^:private ^:const tiny
  "Products below 2^-900 may lose bits to underflow in an FMA TwoProduct, so they go the exact way."
  (Math/scalb 1.0 (int -900)))

(def ^:private ^:const u4
  "4u = 2^-51: a generous bound on the relative error of one rounded operation (u = 2^-53), so that
  the bounds also cover their own roundings."
  (Math/scalb 1.0 (int -51)))

(def ^:private ^:const underflow
  "2^-1072: more than the absolute error (at most 2^-1075 each) that underflow can add to the few
  rounded products and quotients of one step."
  (Math/scalb 1.0 (int -1072)))

(defn- combine
  "Two partial sums [hi lo bound] as one: the his add by TwoSum, the los and its error plainly. The
  two plain additions err by at most u·(|t| + |lo|) (sums never underflow), here 4u."
  ^doubles [^doubles a ^doubles b]
  (let [a0 (aget a 0) b0 (aget b 0)
        hi (+ a0 b0)
        z (- hi a0)
        q (+ (- a0 (- hi z)) (- b0 z))
        t (+ (aget a 1) (aget b 1))
        lo (+ t q)]
    (double-array [hi lo (+ (aget a 2) (aget b 2) (* (+ (Math/abs t) (Math/abs lo)) u4))])))

(defn- scale
  "c·S for S = [hi lo bound] and a coefficient c ≥ 0: c·hi = ph + pe exactly (FMA TwoProduct, unless
  underflow), c·lo plainly. The bound grows by c·bound (rounded up by the factor), 4u of each
  rounded result and the underflow allowance. A zero c times a finite S is an exact zero."
  ^doubles [^double c ^doubles s]
  (let [hi (aget s 0), lo (aget s 1), bound (aget s 2)]
    (if (and (zero? c) (Double/isFinite hi) (Double/isFinite lo) (Double/isFinite bound))
      (double-array 3)
      (let [ph (* c hi)
            pe (Math/fma c hi (- ph))
            pl (* c lo)
            l (+ pe pl)]
        (double-array [ph l (+ (* (* c bound) (+ 1.0 u4))
                               (* (+ (Math/abs pl) (Math/abs l)) u4)
                               (if (and (zero? hi) (zero? lo)) 0.0 underflow))])))))

(defn- divide
  "S/n for S = [hi lo bound] and a count n ≥ 1: qh = hi/n, whose remainder hi − qh·n an FMA gives
  exactly (unless underflow), then (remainder + lo)/n plainly, with bound/n, 4u of each rounded
  result and the underflow allowance."
  ^doubles [^doubles s ^long n]
  (let [hi (aget s 0), lo (aget s 1), bound (aget s 2)
        d (double n)
        qh (/ hi d)
        rem (Math/fma (- qh) d hi)
        t (+ rem lo)
        ql (/ t d)]
    (double-array [qh ql (+ (* (/ bound d) (+ 1.0 u4))
                            (* (+ (/ (Math/abs t) d) (Math/abs ql)) u4)
                            (if (and (zero? hi) (zero? lo)) 0.0 underflow))])))

(defn- certify
  "RN_F of an exact value V known to satisfy |V − (hi + lo)| ≤ bound, or nil when that interval may
  hold a rounding boundary (a midpoint between two F numbers), so that only the exact path can
  decide."
  [^doubles s fmt]
  (let [hi (aget s 0), lo (aget s 1), bound (aget s 2)
        r (+ hi lo)
        z (- r hi)
        d (+ (- hi (- r z)) (- lo z))             ; hi + lo = r + d exactly (TwoSum)
        f32? (= fmt :float32)
        q (if f32? (double (unchecked-float r)) r)]
    (cond
      (not (and (Double/isFinite r) (Double/isFinite d) (Double/isFinite bound)
                (Double/isFinite q)))
      nil

      (zero? q)
      ;; Terms are ≥ 0, so a zero estimate with no error is an exact zero.
      (when (and (zero? r) (zero? d) (zero? bound)) 0.0)

      ;; Below 2^-900 the bound itself could underflow in binary64; let the exact path decide.
      (and (not f32?) (< q tiny))
      nil

      :else
      (let [half-up (if f32? (/ (Math/ulp (unchecked-float q)) 2.0) (/ (Math/ulp q) 2.0))
            half-down (if f32?
                        (/ (Math/ulp (Math/nextDown (unchecked-float q))) 2.0)
                        (/ (Math/ulp (Math/nextDown q)) 2.0))
            ;; r − q is exact (Sterbenz); the factor covers the rounding of this short sum.
            offset (* (+ (Math/abs (- r q)) (Math/abs d) bound) (+ 1.0 (Math/scalb 1.0 (int -20))))]
        (when (< offset (min half-up half-down))
          q)))))

;; Each kernel is a two-lane Sum2 (Ogita–Rump–Oishi) loop. An element's exact term is split into
;; a `main` part ≥ 0 and `small` exact error parts from FMA TwoProducts. The main part enters the
;; lane's sum s by FastTwoSum: s and the main part are both ≥ 0, so ordering the pair by size (a
;; branch that almost always goes the same way) makes the 3-operation form exact. Its error and the
;; small parts are added plainly into the lane's correction c (in any order: a tree, so that the
;; additions do not wait for each other). Each such addition errs by at most u·|its result|
;; (u = 2^-53; sums never underflow), so F, the running sum of those |results|, bounds the error of c by u·F,
;; typically far below the a-priori bound γ_k·Σ|parts|. Lanes alternate from one element to the next,
;; which halves the dependency chain on s.

(defmacro ^:private elem
  "w_i as a double, whether w is a double or a float array (its type hint picks the aget)."
  [w i]
  `(double (aget ~w ~i)))

(defn- pairwise
  "For macros: the tree (pairwise) sum of the symbols xs as let bindings, [sum-symbol bindings
  partials], partials naming the result of every addition."
  [xs]
  (if (= 1 (count xs))
    [(first xs) [] []]
    (let [step (for [pair (partition-all 2 xs)]
                 (if (next pair)
                   (let [t (gensym "t")] [t [t `(+ ~@pair)]])
                   [(first pair) []]))
          [total bindings partials] (pairwise (mapv first step))]
      [total
       (into (vec (mapcat second step)) bindings)
       (into (vec (keep (fn [[t b]] (when (seq b) t)) step)) partials)])))

(defn- tree-expr
  "For macros: the tree sum of the expressions xs as one expression."
  [xs]
  (if (= 1 (count xs))
    (first xs)
    (let [[a b] (split-at (quot (count xs) 2) xs)]
      `(+ ~(tree-expr a) ~(tree-expr b)))))

(defmacro ^:private defkernel-for
  "Defines (name w f from to) → the partial sum over i in [from, to) as a double array
  [hi lo bound], or nil when a tiny product made the parts inexact; `array-tag` (doubles or floats)
  is w's type, f is a double array. `spec`: the :bindings for element i (`(elem w i)` reads w_i as a
  double), the :main part, the :smalls, the :tiny? test, and optional :slack ≥ 0 (per element) and
  :element-slack (a constant per element, added once at the end) added to F when a small part is
  not exact (F·u must cover its error too)."
  [name array-tag {:keys [bindings main smalls slack element-slack tiny?]}]
  (let [small-syms (vec (repeatedly (count smalls) #(gensym "small")))
        c0 (gensym "c0")
        c (gensym "c")
        f0 (gensym "f0")
        err (gensym "err")
        [t t-bindings t-partials] (pairwise (into [err] small-syms))]
    `(defn- ~name [~(with-meta 'w {:tag array-tag}) ~(with-meta 'f {:tag 'doubles})
                   ~(with-meta 'from {:tag 'long}) ~(with-meta 'to {:tag 'long})]
       ;; `tiny` as a primitive local: a ^:const double would be compared as a boxed Double.
       (let [~'n ~'to, ~'tiny (double tiny)]
         (loop [~'i ~'from, s0# 0.0, ~c0 0.0, ~f0 0.0, s1# 0.0, c1# 0.0, f1# 0.0, tiny# false]
           (if (< ~'i ~'n)
             (let [~@bindings
                   main# (double ~main)
                   s# (+ s0# main#)
                   ~err (if (>= s0# main#) (- main# (- s# s0#)) (- s0# (- s# main#)))
                   ~@(interleave small-syms smalls)
                   ;; err + small… as a tree, independent of c, then one addition to c: the chain
                   ;; through c is one addition per element. Every plain addition's result is
                   ;; named, and its magnitude goes into F.
                   ~@t-bindings
                   ~c (+ ~c0 ~t)]
               (recur (inc ~'i) s1# c1# f1#
                      s# ~c
                      (+ ~f0 ~(tree-expr (cond-> (mapv (fn [x] `(Math/abs ~x)) (conj t-partials c))
                                           slack (conj slack))))
                      (or tiny# ~tiny?)))
             (when-not tiny#
               ;; Each lane's correction errs by at most u·F, doubled to cover F's own rounding.
               (combine (double-array [s0# ~c0 (* ~(if element-slack
                                                     `(+ ~f0 (* (double ~element-slack)
                                                                (double (- ~'to ~'from))))
                                                     f0)
                                                  (Math/scalb 1.0 (int -52)))])
                        (double-array [s1# c1# (* f1# (Math/scalb 1.0 (int -52)))])))))))))

(defmacro ^:private defkernel
  "`defkernel-for` for w a double and a float array (read in place: no widened copy), and (name w f
  from to) dispatching on w's type."
  [name doc spec]
  `(do
     (defkernel-for ~(symbol (str name "-doubles")) ~'doubles ~spec)
     (defkernel-for ~(symbol (str name "-floats")) ~'floats ~spec)
     (defn- ~name ~doc [~'w ~'f ~'from ~'to]
       (if (instance? float/1 ~'w)
         (~(symbol (str name "-floats")) ~'w ~'f ~'from ~'to)
         (~(symbol (str name "-doubles")) ~'w ~'f ~'from ~'to)))))

(defkernel abs-kernel
  "Σ|w_i| without factors: every term is a double already."
  {:bindings [x (Math/abs (elem w i))]
   :main x
   :smalls []
   :tiny? false})

(defkernel abs-factor-kernel
  "Σ f_i·|w_i|: f_i·|w_i| = p + fma(f_i, |w_i|, −p) exactly unless the product is tiny."
  {:bindings [x (Math/abs (elem w i)) fi (aget f i) p (* fi x)]
   :main p
   :smalls [(Math/fma fi x (- p))]
   :tiny? (and (< p tiny) (pos? x) (pos? fi))})

(defkernel squares-kernel
  "Σ w_i²: w_i² = p + fma(w_i, w_i, −p) exactly unless the square is tiny."
  {:bindings [x (elem w i) p (* x x)]
   :main p
   :smalls [(Math/fma x x (- p))]
   :tiny? (and (< p tiny) (not (zero? x)))})

(defkernel squares-factor-kernel
  "Σ f_i·w_i²: with w_i² = p + e, f_i·p = p1 + e1 and f_i·e = p2 + e2 (FMA TwoProducts), all exact
  unless f_i·w_i² is tiny."
  {:bindings [x (elem w i) fi (aget f i)
              p (* x x) e (Math/fma x x (- p))
              p1 (* fi p) e1 (Math/fma fi p (- p1))
              p2 (* fi e) e2 (Math/fma fi e (- p2))]
   :main p1
   :smalls [e1 p2 e2]
   :tiny? (and (< p1 tiny) (not (zero? x)) (pos? fi))})

(def ^:private ^:const underflow-slack
  "2^-1018: F's share (worth u = 2^-53 each) of an absolute 2^-1071, more than the two underflow
  errors (at most 2^-1075 each) one element of the residual kernel can make."
  (Math/scalb 1.0 (int -1018)))

(defkernel-for residual-kernel doubles
  ;; Σ (y_i − p_i)² with y in w and p in f: y_i − p_i = h + l exactly (TwoSum, |l| ≤ u·|h|), and
  ;; (h + l)² = h² + l·(2h + l). h² = sq + e with e = fma(h, h, −sq): exact unless h² underflows,
  ;; and then off by at most 2^-1075 (the FMA rounds once). The small remainder g = fl(l·fl(2h + l))
  ;; is not exact: it errs by at most 2u·(1 + 3u)·|g| + 2^-1075. The slack 3·|g| per element and
  ;; 2^-1018 per element (added once) in F (worth u each, doubled) cover all three, so no element
  ;; needs the tiny test, and a sum that ends up tiny is left to the exact path by `certify`.
  {:bindings [y (aget w i) b (- (aget f i))
              h (+ y b) z (- h y) l (+ (- y (- h z)) (- b z))
              sq (* h h) g (* l (+ (* 2.0 h) l))]
   :main sq
   :smalls [(Math/fma h h (- sq)) g]
   :slack (* 3.0 (Math/abs g))
   :element-slack underflow-slack
   :tiny? false})

(def ^:private ^:const parallel-min
  "From this length on, the fast path sums the two halves of w on two threads."
  (bit-shift-left 1 20))

(defn- partial-sum
  "The fast path's [hi lo bound] of Σ f_i·|w_i| (kind :abs), Σ f_i·w_i² (:squares) or Σ (w_i − f_i)²
  (:residuals, w and f the targets as double arrays), or nil when a tiny product made it inexact.
  Long arrays are summed in two halves on two threads (the second on the common fork-join pool,
  whose daemon threads never keep the JVM alive); the halves combine like lanes."
  [kind w f]
  (let [kernel (case kind
                 :abs (if f abs-factor-kernel abs-kernel)
                 :squares (if f squares-factor-kernel squares-kernel)
                 :residuals residual-kernel)
        n (count w)
        parts (if (< n parallel-min)
                [(kernel w f 0 n)]
                (let [mid (quot n 2)
                      first-half (CompletableFuture/supplyAsync
                                  (reify Supplier (get [_] (kernel w f 0 mid))))
                      second-half (kernel w f mid n)]
                  [(.join first-half) second-half]))]
    (when (every? some? parts)
      (reduce combine parts))))

(defn- penalty-parts
  "c1·S1 and c2·S2 as fast-path partial sums (only the parts the penalty has), or nil."
  [c1 c2 w f]
  (let [parts (for [[c kind] [[c1 :abs] [c2 :squares]]
                    :when c]
                (some->> (partial-sum kind w f) (scale (double c))))]
    (when (every? some? parts) parts)))

(defn fast-penalty-value
  "The fast path of `penalty-value` alone: its result, or nil when it cannot certify the rounding (a
  value next to a rounding boundary, tiny or huge terms, specials). For tests and benchmarks."
  [c1 c2 w f fmt]
  (some-> (penalty-parts c1 c2 w f) (->> (reduce combine)) (certify fmt)))

(defn fast-loss-value
  "The fast path of `loss-value` alone, or nil (as `fast-penalty-value`)."
  [y p c1 c2 w f fmt]
  (let [y (widen y), p (widen p)]
    (when-let [sse (partial-sum :residuals y p)]
      (when-let [parts (penalty-parts c1 c2 w f)]
        (certify (reduce combine (divide sse (alength ^doubles y)) parts) fmt)))))

;; ---------------------------------------------------------------------------------------------
;; The API

(defn penalty-value
  "RN_F(Σ f_i·(c1·|w_i| + c2·w_i²)) (see the namespace doc): the fast path when it can prove its
  rounding, else the exact path. The same bits either way."
  [c1 c2 w ^doubles f fmt]
  (if-some [r (fast-penalty-value c1 c2 w f fmt)]
    (double r)
    (exact-penalty-value c1 c2 w f fmt)))

(defn loss-value
  "RN_F((1/n)·Σ (y_i − p_i)² + Σ f_i·(c1·|w_i| + c2·w_i²)) for n = (count y) ≥ 1 targets y and p
  of equal length: the fast path when it can prove its rounding, else the exact path."
  [y p c1 c2 w ^doubles f fmt]
  (if-some [r (fast-loss-value y p c1 c2 w f fmt)]
    (double r)
    (exact-loss-value y p c1 c2 w f fmt)))

(defn- coefficients [kind] (if (= kind :abs) [1.0 nil] [nil 1.0]))

(defn exact-sum
  "RN_F(Σ f_i·|w_i|) (kind :abs) or RN_F(Σ f_i·w_i²) (:squares) by the exact path: the penalty
  value with coefficient 1."
  ^double [kind w ^doubles f fmt]
  (let [[c1 c2] (coefficients kind)] (exact-penalty-value c1 c2 w f fmt)))

(defn fast-sum
  "The same sum by the fast path alone, or nil."
  [kind w ^doubles f fmt]
  (let [[c1 c2] (coefficients kind)] (fast-penalty-value c1 c2 w f fmt)))

(defn sum
  "The same sum, fast path first (spec 1.0's correctly rounded reduction, kept for the benchmark's
  baseline and the tests)."
  ^double [kind w ^doubles f fmt]
  (let [[c1 c2] (coefficients kind)] (penalty-value c1 c2 w f fmt)))
