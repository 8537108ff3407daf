(ns regpen.exact
  "Correctly rounded sums of non-negative terms (conformance/SPEC.md §2) for regpen.core.

  A sum is RN_F(Σ t_i): the exact real sum, rounded once to binary64 or binary32. Two paths return
  the same bits:
  - `exact-sum` adds the exact terms in a fixed-point accumulator wide enough for any of them (a
    long array of 32-bit chunks, a Kulisch accumulator) and rounds the total once, ties to even,
    through a BigInteger. It is the reference and the fallback.
  - `sum` is the fast path: error-free TwoSum/FMA accumulation in primitive doubles with a proven
    error bound. When the bound cannot rule out a different rounding, it asks `exact-sum`.

  Terms are built from `w` (the weights or residuals, a double or float array) and optional factors
  `f` (a double array). Float32 values are exact doubles, so one set of kernels serves both formats:
  only the final rounding differs. The term kinds are `:abs` (f_i·|w_i|) and `:squares` (f_i·w_i²)."
  (:import (java.math BigInteger)
           (java.util.concurrent CompletableFuture)
           (java.util.function Supplier)))

(set! *warn-on-reflection* true)

;; ---------------------------------------------------------------------------------------------
;; Target formats

(def ^:private formats
  "Precision p (bits), the exponent of the smallest subnormal's bit, and the largest exponent."
  {:float64 {:precision 53 :lsb-min -1074 :emax 1023}
   :float32 {:precision 24 :lsb-min -149 :emax 127}})

(defn- format-of [fmt]
  (or (formats fmt) (throw (IllegalArgumentException. (str "unknown format " fmt)))))

;; ---------------------------------------------------------------------------------------------
;; Special values (SPEC §2: checked before summing)

(defn- special-sum
  "NaN or +inf when SPEC §2's special-value rules decide the sum, or nil when every term is finite.
  A NaN weight, or an IEEE product 0·∞ in a term, makes the sum NaN; otherwise an infinite term makes
  it +inf."
  [kind ^doubles w ^doubles f]
  (let [n (alength w)
        squares? (= kind :squares)]
    (loop [i 0, infinite? false]
      (if (< i n)
        (let [x (Math/abs (aget w i))
              fi (if f (aget f i) 1.0)]
          (cond
            (Double/isNaN x) ##NaN
            (or (Double/isInfinite x) (Double/isInfinite fi))
            ;; Only here is the IEEE product the term: it is ∞, or NaN for 0·∞.
            (let [t (if squares? (* (* fi x) x) (* fi x))]
              (if (Double/isNaN t) ##NaN (recur (inc i) true)))
            :else (recur (inc i) infinite?)))
        (when infinite? ##Inf)))))

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

;; The exact sum is kept in a fixed-point accumulator that spans every bit an exact term can have:
;; terms are m·2^e with e ≥ −3222 (a factor times a square, all three subnormal) and below 2^3072.
;; Chunk k of the long array counts the bits of weight 2^(32k − 3222) and up; it may grow past 32
;; bits, but every addition adds less than 2^32 to a chunk, so no chunk can overflow before
;; `normalize!` propagates the carries (every 2^24 elements, and at the end).

(def ^:private ^:const lowest-exponent -3222)
(def ^:private ^:const chunk-count 200)
(def ^:private ^:const low-32 0xffffffff)

(defn- add-bits!
  "Adds m·2^e (0 ≤ m < 2^63, e ≥ lowest-exponent) to the accumulator: the bits of m·2^(e mod 32)
  go to three consecutive chunks, 32 at a time."
  [^longs acc ^long m ^long e]
  (let [p (- e lowest-exponent)
        k (unsigned-bit-shift-right p 5)
        o (bit-and p 31)
        rest (unsigned-bit-shift-right m (- 32 o))]
    (aset acc k (+ (aget acc k) (bit-and (bit-shift-left m o) low-32)))
    (aset acc (inc k) (+ (aget acc (inc k)) (bit-and rest low-32)))
    (aset acc (+ k 2) (+ (aget acc (+ k 2)) (unsigned-bit-shift-right rest 32)))))

(defn- add-product!
  "Adds a·b·2^e for 0 ≤ a, b < 2^54: the exact 128-bit product, split at bit 52 into two parts."
  [^longs acc ^long a ^long b ^long e]
  (let [lo (unchecked-multiply a b)
        hi (Math/multiplyHigh a b)]
    (add-bits! acc (bit-and lo 0xfffffffffffff) e)
    (add-bits! acc (bit-or (bit-shift-left hi 12) (unsigned-bit-shift-right lo 52)) (+ e 52))))

(defn- normalize!
  "Propagates carries so that every chunk but the last is below 2^32 (the value is unchanged)."
  [^longs acc]
  (loop [k 0, carry 0]
    (when (< k (alength acc))
      (let [c (+ (aget acc k) carry)]
        (aset acc k (bit-and c low-32))
        (recur (inc k) (unsigned-bit-shift-right c 32))))))

(defn- rounded
  "RN_F of the accumulator's value. Only the chunks between the lowest and the highest non-zero one
  go into the BigInteger that is rounded, so its size follows the data, not the accumulator."
  ^double [^longs acc fmt]
  (normalize! acc)
  (let [n (alength acc)
        lo (long (loop [k 0] (if (and (< k n) (zero? (aget acc k))) (recur (inc k)) k)))
        hi (long (loop [k (dec n)] (if (and (>= k lo) (zero? (aget acc k))) (recur (dec k)) k)))]
    (if (> lo hi)
      0.0
      (let [span (inc (- hi lo))
            bytes (byte-array (inc (* 4 span)))]      ; big-endian, a leading zero byte: m ≥ 0
        (dotimes [r span]
          (let [digit (aget acc (+ lo r))
                at (- (alength bytes) (* 4 (inc r)))]
            (dotimes [b 4]
              (aset bytes (+ at b) (unchecked-byte (unsigned-bit-shift-right digit (* 8 (- 3 b))))))))
        (round-dyadic (BigInteger. bytes) (+ lowest-exponent (* 32 lo)) fmt)))))

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

(defn exact-sum
  "RN_F of the sum of terms of `kind` (:abs or :squares) over w with optional factors f (nil means
  every factor is 1), computed exactly and rounded once. `fmt` is :float64 or :float32."
  ^double [kind w ^doubles f fmt]
  (let [w (widen w)]
    (if-some [special (special-sum kind w f)]
      special
      (let [acc (long-array chunk-count)
            squares? (= kind :squares)
            n (alength w)]
        (dotimes [i n]
          (add-term! acc squares? (Math/abs (aget w i)) (if f (aget f i) 1.0))
          (when (zero? (bit-and (inc i) 0xffffff))
            (normalize! acc)))
        (rounded acc fmt)))))

;; ---------------------------------------------------------------------------------------------
;; Fast path

(def ^:private ^:const tiny
  "Products below 2^-900 may lose bits to underflow in an FMA TwoProduct, so they go the exact way."
  (Math/scalb 1.0 (int -900)))

(defn- certify
  "RN_F of an exact sum S known to satisfy |S − (hi + lo)| ≤ bound, or nil when that interval may hold
  a rounding boundary (a midpoint between two F numbers), so that only the exact path can decide."
  [^double hi ^double lo ^double bound fmt]
  (let [r (+ hi lo)
        z (- r hi)
        d (+ (- hi (- r z)) (- lo z))             ; hi + lo = r + d exactly (TwoSum)
        f32? (= fmt :float32)
        q (if f32? (double (unchecked-float r)) r)]
    (cond
      (not (and (Double/isFinite r) (Double/isFinite d) (Double/isFinite bound)
                (Double/isFinite q)))
      nil

      (zero? q)
      ;; Terms are ≥ 0, so a zero estimate with no error is an exact zero sum.
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

(defn- combine
  "Two partial sums [hi lo bound] as one: the his add by TwoSum, the los and its error plainly. The
  two plain additions err by at most u·(|t| + |lo|), doubled to cover this bound's own rounding."
  ^doubles [^doubles a ^doubles b]
  (let [a0 (aget a 0) b0 (aget b 0)
        hi (+ a0 b0)
        z (- hi a0)
        q (+ (- a0 (- hi z)) (- b0 z))
        t (+ (aget a 1) (aget b 1))
        lo (+ t q)]
    (double-array [hi lo (+ (aget a 2) (aget b 2)
                            (* (+ (Math/abs t) (Math/abs lo)) (Math/scalb 1.0 (int -51))))])))

;; Each kernel is a two-lane Sum2 (Ogita–Rump–Oishi) loop. An element's exact term is split into
;; a `main` part ≥ 0 and `small` exact error parts from FMA TwoProducts. The main part enters the
;; lane's sum s by FastTwoSum: s and the main part are both ≥ 0, so ordering the pair by size (a
;; branch that almost always goes the same way) makes the 3-operation form exact. Its error and the
;; small parts are added plainly into the lane's correction c. Each such addition errs by at most
;; u·|its result| (u = 2^-53), so F, the running sum of those |results|, bounds the error of c by u·F,
;; typically far below the a-priori bound γ_k·Σ|parts|. Lanes alternate from one element to the next,
;; which halves the dependency chain on s.

(defmacro ^:private elem
  "w_i as a double, whether w is a double or a float array (its type hint picks the aget)."
  [w i]
  `(double (aget ~w ~i)))

(defmacro ^:private defkernel
  "Defines (name w f from to) → the partial sum over i in [from, to) as a double array
  [hi lo bound], meaning |exact − (hi + lo)| ≤ bound, or nil when a tiny product made the parts
  inexact; for w a double or a float array (read in place: no widened copy). `spec`: the :bindings
  for element i (`(elem w i)` reads w_i as a double), the :main part, the :smalls and the :tiny?
  test."
  [name doc spec]
  `(do
     (defkernel-for ~(symbol (str name "-doubles")) ~'doubles ~spec)
     (defkernel-for ~(symbol (str name "-floats")) ~'floats ~spec)
     (defn- ~name ~doc [~'w ~'f ~'from ~'to]
       (if (instance? float/1 ~'w)
         (~(symbol (str name "-floats")) ~'w ~'f ~'from ~'to)
         (~(symbol (str name "-doubles")) ~'w ~'f ~'from ~'to)))))

(defmacro ^:private defkernel-for
  "One array type's loop of `defkernel`: `array-tag` is doubles or floats."
  [name array-tag {:keys [bindings main smalls tiny?]}]
  (let [small-syms (vec (repeatedly (count smalls) #(gensym "small")))
        partials (vec (repeatedly (inc (count smalls)) #(gensym "c")))
        c0 (gensym "c0")
        err (gensym "err")]
    `(defn- ~name [~(with-meta 'w {:tag array-tag}) ~(with-meta 'f {:tag 'doubles})
                   ~(with-meta 'from {:tag 'long}) ~(with-meta 'to {:tag 'long})]
       (let [~'n ~'to]
         (loop [~'i ~'from, s0# 0.0, ~c0 0.0, f0# 0.0, s1# 0.0, c1# 0.0, f1# 0.0, tiny# false]
           (if (< ~'i ~'n)
             (let [~@bindings
                   main# (double ~main)
                   s# (+ s0# main#)
                   ~err (if (>= s0# main#) (- main# (- s# s0#)) (- s0# (- s# main#)))
                   ~@(interleave small-syms smalls)
                   ;; c + err + small… one addition at a time, naming every partial result.
                   ~@(interleave partials
                                 (map (fn [prev x] `(+ ~prev ~x))
                                      (cons c0 partials) (cons err small-syms)))]
               (recur (inc ~'i) s1# c1# f1#
                      s# ~(peek partials)
                      (+ f0# ~@(map (fn [c] `(Math/abs ~c)) partials))
                      (or tiny# ~tiny?)))
             (when-not tiny#
               ;; Each lane's correction errs by at most u·F, doubled to cover F's own rounding.
               (combine (double-array [s0# ~c0 (* f0# (Math/scalb 1.0 (int -52)))])
                        (double-array [s1# c1# (* f1# (Math/scalb 1.0 (int -52)))])))))))))

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

(def ^:private ^:const parallel-min
  "From this length on, the fast path sums the two halves of w on two threads."
  (bit-shift-left 1 20))

(defn fast-sum
  "The fast path alone: RN_F of the sum (see `exact-sum`), or nil when it cannot certify the rounding
  (a sum next to a rounding boundary, tiny or huge terms, specials). Exposed for tests and benchmarks.
  Long arrays are summed in two halves on two threads (the second on the common fork-join pool,
  whose daemon threads never keep the JVM alive); the halves combine like lanes."
  [kind w ^doubles f fmt]
  (let [kernel (case kind
                 :abs (if f abs-factor-kernel abs-kernel)
                 :squares (if f squares-factor-kernel squares-kernel))
        n (count w)
        parts (if (< n parallel-min)
                [(kernel w f 0 n)]
                (let [mid (quot n 2)
                      first-half (CompletableFuture/supplyAsync
                                  (reify Supplier (get [_] (kernel w f 0 mid))))
                      second-half (kernel w f mid n)]
                  [(.join first-half) second-half]))]
    (when (every? some? parts)
      (let [^doubles total (reduce combine parts)]
        (certify (aget total 0) (aget total 1) (aget total 2) fmt)))))

(defn sum
  "RN_F of the sum of terms of `kind` (:abs or :squares) over w with optional factors f: the fast
  path when it can prove its rounding, else the exact path. Same bits as `exact-sum`, always."
  ^double [kind w ^doubles f fmt]
  (if-some [r (fast-sum kind w f fmt)]
    (double r)
    (exact-sum kind w f fmt)))
