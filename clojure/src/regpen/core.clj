(ns regpen.core
  "regpen in Clojure: L1, L2 and Elastic Net regularization penalties with bit-identical results
  across languages, following conformance/SPEC.md (spec 2.0) step by step.

    (require '[regpen.core :as rp])
    (rp/value (rp/l1 0.01) [0.5 -1.5])                 ;=> 0.02
    (rp/gradient (rp/l2 0.5 :penalty-factor [0 1]) (double-array [3 4]))
    (rp/prox (rp/elastic-net 0.1 0.01) (float-array [1 -2]) 0.5)
    (rp/compute-loss y-true y-pred w (rp/l1 0.01))
    (rp/from-config (rp/to-config (rp/elastic-net 0.1 0.01)))

  Weights are double or float arrays, integer arrays, or seqs of numbers. The element type is the
  working format: float arrays and seqs of Floats compute in binary32 and come back as float
  arrays or Floats; everything else (Doubles, integers of any size, ratios) is binary64, integers
  and ratios rounded once to the nearest double. Seqs come back as vectors. Every scalar result is
  the exact value rounded once; every NaN out is the canonical quiet NaN. Errors are ex-info
  carrying {:regpen/code :invalid-lambda} (SPEC §4's codes, underscores as hyphens)."
  (:require [clojure.data.json :as json]
            [clojure.string :as str]
            [clojure.walk :as walk]
            [regpen.exact :as exact])
  (:import (java.math BigDecimal MathContext RoundingMode)))

(set! *warn-on-reflection* true)

;; ---------------------------------------------------------------------------------------------
;; Errors

(defn- fail
  "Throws SPEC §4's error `code` (a keyword such as :invalid-lambda) as ex-info."
  [code message & {:as data}]
  (throw (ex-info (str (name code) ": " message) (assoc data :regpen/code code))))

;; ---------------------------------------------------------------------------------------------
;; Working formats and inputs

(defmacro ^:private rnd
  "One IEEE operation's result in the working format. Binary32 steps are computed in binary64 and
  rounded once to binary32: for one +, −, × or ÷ on binary32 operands this equals the binary32
  operation, because binary64 has more than 2·24 + 2 bits."
  [f32? x]
  `(let [x# ~x] (if ~f32? (double (unchecked-float x#)) x#)))

(defn- in-format
  "A binary64 parameter, factor or step as the working format sees it: RN32 for float32 (which may
  be +inf: SPEC 2.0 decision A, not an error)."
  ^double [f32? ^double x]
  (rnd f32? x))

(defn- f32? [dtype] (= dtype :float32))

(defn- format-name [f32?] (if f32? :float32 :float64))

(defn- element-dtype
  "The dtype an element of a seq stands for: :float32 for a Float, :float64 for a Double or any
  other number exact/to-double reads (integers, ratios, decimals), nil for anything else."
  [x]
  (cond (instance? Float x) :float32
        (instance? Double x) :float64
        (exact/to-double x) :float64))

(defn- coerce
  "An input `what` (named in errors) as {:dtype :float64|:float32|nil, :data array, :kind
  :doubles|:floats|:seq}: double and float arrays as they are (read in place), integer arrays and
  seqs as a new double or float array, integers and ratios rounded once to binary64. The dtype of an
  empty seq is nil: it has no elements to disagree with another argument's."
  [what x]
  (cond
    (instance? double/1 x) {:dtype :float64 :data x :kind :doubles}
    (instance? float/1 x) {:dtype :float32 :data x :kind :floats}
    ;; Integer arrays: long → double is the JVM's round to nearest, the narrower ones are exact.
    (or (instance? long/1 x) (instance? int/1 x) (instance? short/1 x) (instance? byte/1 x))
    {:dtype :float64 :data (double-array x) :kind :doubles}
    (or (sequential? x) (instance? java.util.List x))
    (let [xs (vec x)
          dtypes (into #{} (map-indexed
                            (fn [i e]
                              (or (element-dtype e)
                                  (fail :invalid-dtype
                                        (str what " must hold numbers, got " (pr-str e)
                                             " (" (if (nil? e) "nil" (.getName (class e)))
                                             ") at index " i)
                                        :parameter what :value e))))
                  xs)
          dtype (case (count dtypes)
                  0 nil
                  1 (first dtypes)
                  (fail :invalid-dtype
                        (str what " mixes Floats (float32) with binary64 numbers; use one dtype")
                        :parameter what))]
      {:dtype dtype
       :data (if (f32? dtype)
               (float-array xs)
               (double-array (if (every? #(instance? Double %) xs) xs (map exact/to-double xs))))
       :kind :seq})
    :else (fail :invalid-dtype
                (str what " must be a double/float/integer array or a sequence of numbers, got "
                     (if (nil? x) "nil" (.getName (class x))))
                :parameter what :value x)))

(defn- output
  "Results (an array of the input's element type) in the shape of the input: arrays as they are,
  a vector for a seq."
  [{:keys [kind]} out]
  (if (= kind :seq) (vec out) out))

(defn- scalar
  "A scalar result as the working format's boxed type (Float for float32), NaN canonical."
  [dtype ^double x]
  (if (f32? dtype)
    (if (Double/isNaN x) Float/NaN (unchecked-float x))
    (if (Double/isNaN x) Double/NaN x)))

;; ---------------------------------------------------------------------------------------------
;; Parameters

(defn- nonneg-finite? [^double x] (and (Double/isFinite x) (>= x 0.0)))

(defn- check-param
  "A penalty parameter (any number, rounded once to binary64) as a binary64 ≥ 0, with −0 stored as
  +0 (SPEC §1)."
  [code what x]
  (let [v (exact/to-double x)]
    (if (and v (nonneg-finite? v))
      (+ (double v) 0.0)
      (fail code (str what " must be a finite number >= 0, got " (pr-str x))
            :parameter what :value x))))

(defn- check-factors
  "Penalty factors as a vector of binary64 ≥ 0 (−0 stored as +0), or nil when absent. An empty list
  is valid (it matches only empty weights)."
  [factors]
  (when (some? factors)
    (when-not (or (sequential? factors) (instance? java.util.List factors)
                  (.isArray (class factors)))
      (fail :invalid-penalty-factor
            (str "penalty-factor must be a sequence of numbers, got " (pr-str factors))
            :parameter "penalty-factor" :value factors))
    (into [] (map-indexed (fn [i f] (check-param :invalid-penalty-factor
                                                 (str "penalty-factor[" i "]") f)))
          factors)))

;; ---------------------------------------------------------------------------------------------
;; Element-wise steps shared by the penalties (SPEC §3)

(defmacro ^:private factor
  "f_i, or 1 without factors. A macro, so that hot loops make no call through a var."
  [f i]
  `(if ~f (aget ~f ~i) 1.0))

(defmacro ^:private elem
  "a_i as a double, for a double or a float array a (its type hint picks the aget)."
  [a i]
  `(double (aget ~a ~i)))

(defmacro ^:private store-double
  "Stores a result, every NaN as the canonical quiet NaN 0x7ff8000000000000 (spec 2.0: an input's
  NaN payload or sign, or the hardware's default NaN of 0·∞, never leaks out)."
  [a i x]
  `(let [x# (double ~x)] (aset ~a ~i (if (Double/isNaN x#) Double/NaN x#))))

(defmacro ^:private store-float
  "Stores a working-format value (a double holding a binary32 number, so the cast is exact), every
  NaN as the canonical 0x7fc00000."
  [a i x]
  `(let [x# (double ~x)] (aset ~a ~i (if (Double/isNaN x#) Float/NaN (unchecked-float x#)))))

(defmacro ^:private defelementwise
  "Defines an element-wise step once for double and once for float arrays, so that float32 data is
  read and written in place rather than widened and narrowed. In `body`, (as-array a) casts an
  argument to the array type, (new-array n) makes one, (store a i x) writes x (a double holding a
  working-format value). The defined function dispatches on the type of its argument `on`."
  [name doc on params & body]
  (let [variant (fn [suffix replacements]
                  `(defn- ~(symbol (str name suffix)) ~params
                     ~@(walk/postwalk-replace replacements body)))
        args (mapv #(with-meta % nil) params)]
    `(do
       ~(variant "-doubles" {'as-array `doubles 'new-array `double-array 'store `store-double})
       ~(variant "-floats" {'as-array `floats 'new-array `float-array 'store `store-float})
       (defn- ~name ~doc ~args
         (if (instance? float/1 ~on)
           (~(symbol (str name "-floats")) ~@args)
           (~(symbol (str name "-doubles")) ~@args))))))

(defelementwise l1-gradient
  "c_i = lam·f_i; g_i = c_i, −c_i, +0 or NaN by the sign of w_i."
  w [f32? ^double lam w ^doubles f]
  (let [w (as-array w)
        out (new-array (alength w))]
    (dotimes [i (alength w)]
      (let [c (rnd f32? (* lam (factor f i)))
            x (elem w i)]
        ;; copySign is c or −c (IEEE negation) by the sign of a non-zero x; zeros and NaN are the
        ;; rare cases, so this branch is predictable where a test on the sign would not be.
        (store out i (if (or (== x 0.0) (Double/isNaN x))
                       (if (== x 0.0) 0.0 Double/NaN)
                       (Math/copySign c x)))))
    out))

(defelementwise l2-gradient
  "c = 2·lam, c_i = c·f_i, g_i = c_i·w_i."
  w [f32? ^double lam w ^doubles f]
  (let [w (as-array w)
        out (new-array (alength w))
        c (rnd f32? (* 2.0 lam))]
    (dotimes [i (alength w)]
      (store out i (rnd f32? (* (rnd f32? (* c (factor f i))) (elem w i)))))
    out))

(defelementwise soft-threshold
  "w_i moved towards zero by t_i = (step·lam)·f_i, never across it (keeping the sign of zero)."
  w [f32? lam w ^doubles f step]
  (let [w (as-array w)
        out (new-array (alength w))
        t (rnd f32? (* (double step) (double lam)))]
    (dotimes [i (alength w)]
      (let [x (elem w i)
            d (rnd f32? (- (Math/abs x) (rnd f32? (* t (factor f i)))))]
        (store out i (if (Double/isNaN d)
                       Double/NaN
                       (Math/copySign (if (> d 0.0) d 0.0) x)))))
    out))

(defelementwise shrink
  "x_i / (1 + k_i) with k = step·(2·lam), k_i = k·f_i: L2's proximal step, into a new array."
  x [f32? lam x ^doubles f step]
  (let [x (as-array x)
        out (new-array (alength x))
        k (rnd f32? (* (double step) (rnd f32? (* 2.0 (double lam)))))]
    (dotimes [i (alength x)]
      (store out i (rnd f32? (/ (elem x i) (rnd f32? (+ 1.0 (rnd f32? (* k (factor f i)))))))))
    out))

(defelementwise add-elementwise
  "a_i + b_i in the working format, in place in a (b has a's type)."
  a [f32? a b]
  (let [a (as-array a)
        b (as-array b)]
    (dotimes [i (alength a)]
      (store a i (rnd f32? (+ (elem a i) (elem b i)))))
    a))

;; ---------------------------------------------------------------------------------------------
;; Penalties

(defprotocol Penalty
  "A regularization penalty. The public functions below check and convert their inputs, then call
  these with the working format (f32? true for binary32), the weights (a double array, or a float
  array for float32) and the factors in the working format (nil when absent). Results are arrays
  of the weights' type."
  (-coefficients [p] "[c1 c2]: the coefficients of Σ f_i·|w_i| and Σ f_i·w_i² (binary64), nil for a
  part the penalty does not have.")
  (-gradient [p f32? w f] "The (sub)gradient as a fresh array.")
  (-prox [p f32? w f step] "The proximal step as a fresh array.")
  (config [p] "The penalty as configuration data: a map with string keys, as in its JSON."))

(defn- with-factors [m penalty-factor]
  (cond-> m penalty-factor (assoc "penalty_factor" penalty-factor)))

;; Penalties are deftypes, not records: immutable, without a map interface (no assoc, no
;; map->L1), compared and hashed by their configuration. deftype's positional factory (->L1) is
;; removed below, so `l1`, `l2` and `elastic-net` (which validate) are the ways to build one. The
;; JVM constructor of a deftype class is still public, so every operation also checks the
;; parameters it is about to use (`checked`): an invalid penalty built by interop fails, it never
;; computes.

(defmacro ^:private defpenalty
  "A penalty deftype: `fields`, the Penalty methods in `body`, and equality, hash and printing by
  configuration."
  [name fields & body]
  `(do
     (deftype ~name ~fields
       Penalty
       ~@body
       Object
       (equals [p# o#] (and (instance? ~name o#) (= (config p#) (config o#))))
       (hashCode [p#] (hash (config p#)))
       (toString [p#] (binding [*print-readably* true] (str ~(str name) (pr-str (config p#))))))
     (ns-unmap *ns* '~(symbol (str "->" name)))))

(defpenalty L1 [^double lam penalty-factor]
  (-coefficients [_] [lam nil])
  (-gradient [_ f32? w f] (l1-gradient f32? (in-format f32? lam) w f))
  (-prox [_ f32? w f step] (soft-threshold f32? (in-format f32? lam) w f step))
  (config [_] (with-factors {"type" "l1" "lam" lam} penalty-factor)))

(defpenalty L2 [^double lam penalty-factor]
  (-coefficients [_] [nil lam])
  (-gradient [_ f32? w f] (l2-gradient f32? (in-format f32? lam) w f))
  (-prox [_ f32? w f step] (shrink f32? (in-format f32? lam) w f step))
  (config [_] (with-factors {"type" "l2" "lam" lam} penalty-factor)))

(defpenalty ElasticNet [^double l1 ^double l2 penalty-factor]
  (-coefficients [_] [l1 l2])
  (-gradient [_ f32? w f]
    (add-elementwise f32? (l1-gradient f32? (in-format f32? l1) w f)
                     (l2-gradient f32? (in-format f32? l2) w f)))
  (-prox [_ f32? w f step]
    (shrink f32? (in-format f32? l2) (soft-threshold f32? (in-format f32? l1) w f step) f step))
  (config [_] (with-factors {"type" "elastic_net" "l1" l1 "l2" l2} penalty-factor)))

(doseq [c [L1 L2 ElasticNet]]
  (defmethod print-method c [p ^java.io.Writer w] (.write w (str p))))

(defn l1
  "The L1 penalty lam·Σ f_i·|w_i|. Option :penalty-factor, per-weight factors f_i ≥ 0 (default 1)."
  [lam & {:keys [penalty-factor]}]
  (L1. (check-param :invalid-lambda "lam" lam) (check-factors penalty-factor)))

(defn l2
  "The L2 penalty lam·Σ f_i·w_i² (no ½). Option :penalty-factor as for `l1`."
  [lam & {:keys [penalty-factor]}]
  (L2. (check-param :invalid-lambda "lam" lam) (check-factors penalty-factor)))

(defn elastic-net
  "The Elastic Net penalty l1·Σ f_i·|w_i| + l2·Σ f_i·w_i². Option :penalty-factor as for `l1`."
  [l1 l2 & {:keys [penalty-factor]}]
  (ElasticNet. (check-param :invalid-lambda "l1" l1) (check-param :invalid-lambda "l2" l2)
               (check-factors penalty-factor)))

(defn- checked
  "The penalty, once it is known to be a Penalty whose parameters are valid (see the comment above
  `defpenalty`); a nil or foreign penalty is :invalid-dtype."
  [penalty]
  (when-not (satisfies? Penalty penalty)
    (fail :invalid-dtype (str "penalty must be a regpen penalty (l1, l2, elastic-net), got "
                              (if (nil? penalty) "nil" (.getName (class penalty))))
          :parameter "penalty" :value penalty))
  (doseq [[k v] (config penalty)
          :when (not (#{"type" "penalty_factor"} k))]
    (check-param :invalid-lambda k v))
  penalty)

(defn- factors-for
  "The penalty's factors for n weights in the working format (nil when it has none), each checked
  again as it is copied (see `checked`)."
  [penalty n f32?]
  (when-let [pf (get (config penalty) "penalty_factor")]
    (let [pf (if (vector? pf) pf (check-factors pf))]
      (when (not= (count pf) n)
        (fail :shape-mismatch (str "penalty-factor has " (count pf) " entries for " n " weights;"
                                   " they must match one to one")
              :factors (count pf) :weights n))
      (let [a (double-array (count pf))]
        (dotimes [i (alength a)]
          (let [x (pf i)
                x (if (and (instance? Double x) (nonneg-finite? x))
                    x
                    (check-param :invalid-penalty-factor (str "penalty-factor[" i "]") x))]
            (aset a i (in-format f32? (double x)))))
        a))))

(defn- coefficients
  "The penalty's [c1 c2] in the working format."
  [penalty f32?]
  (mapv #(some->> % double (in-format f32?)) (-coefficients penalty)))

;; ---------------------------------------------------------------------------------------------
;; Operations

(defn value
  "The penalty's value at weights w: a Double, or a Float for float32 weights. The exact
  Σ f_i·(c1·|w_i| + c2·w_i²) rounded once."
  [penalty w]
  (let [penalty (checked penalty)
        {:keys [dtype data]} (coerce "w" w)
        f32? (f32? dtype)
        [c1 c2] (coefficients penalty f32?)
        f (factors-for penalty (count data) f32?)]
    (scalar dtype (exact/penalty-value c1 c2 data f (format-name f32?)))))

(defn gradient
  "The penalty's (sub)gradient at w, in w's shape and format (+0 at w_i = ±0 for L1)."
  [penalty w]
  (let [penalty (checked penalty)
        {:keys [dtype data] :as in} (coerce "w" w)
        f32? (f32? dtype)]
    (output in (-gradient penalty f32? data (factors-for penalty (count data) f32?)))))

(defn prox
  "The proximal operator of step·penalty at w, in w's shape and format. step: finite, ≥ 0 (a
  float32 step beyond binary32's range becomes +inf, by the IEEE rules)."
  [penalty w step]
  (let [penalty (checked penalty)
        {:keys [dtype data] :as in} (coerce "w" w)
        f32? (f32? dtype)
        step (in-format f32? (check-param :invalid-step "step" step))]
    (output in (-prox penalty f32? data (factors-for penalty (count data) f32?) step))))

(defn compute-loss
  "Mean squared error of y-pred against y-true plus the penalty's value at w, the exact sum rounded
  once. All three share one dtype; y-true and y-pred have the same, non-zero length; w may have
  any length."
  [y-true y-pred w penalty]
  (let [penalty (checked penalty)
        inputs (map coerce ["y-true" "y-pred" "w"] [y-true y-pred w])
        dtypes (set (keep :dtype inputs))
        _ (when (> (count dtypes) 1)
            (fail :invalid-dtype (str "y-true, y-pred and w must share one dtype, got "
                                      (mapv #(some-> (:dtype %) name) inputs))))
        dtype (or (first dtypes) :float64)
        f32? (f32? dtype)
        [y p ws] (map :data inputs)
        n (count y)]
    (when (not= n (count p))
      (fail :shape-mismatch (str "y-true has " n " values, y-pred " (count p)
                                 "; they must have the same length")))
    (when (zero? n) (fail :empty-input "y-true and y-pred are empty; the mean needs n >= 1"))
    (let [[c1 c2] (coefficients penalty f32?)
          f (factors-for penalty (count ws) f32?)]
      (scalar dtype (exact/loss-value y p c1 c2 ws f (format-name f32?))))))

(defn l1-regularization
  "The seed's helper done right: (value (l1 lambda) weights), lambda·Σ|w_i| rounded once in the
  weights' dtype (a Float for float32 weights)."
  [weights lambda]
  (value (l1 lambda) weights))

;; ---------------------------------------------------------------------------------------------
;; Configuration (JSON)

(defn- shortest-decimal
  "The shortest decimal that reads back to x (a finite double): the first precision at which the
  correctly rounded decimal of x parses to x again."
  ^BigDecimal [^double x]
  (let [exact (BigDecimal. x)]
    (or (some (fn [digits]
                (let [d (.round exact (MathContext. (int digits) RoundingMode/HALF_EVEN))]
                  (when (== (Double/parseDouble (str d)) x)
                    (.stripTrailingZeros d))))
              (range 1 18))
        exact)))

(defn to-config
  "The penalty as JSON text, e.g. {\"type\":\"l1\",\"lam\":0.01}, with numbers in their shortest
  round-trip form."
  [penalty]
  (json/write-str
   (update-vals (config (checked penalty))
                (fn [v] (cond (number? v) (shortest-decimal v)
                              (sequential? v) (mapv shortest-decimal v)
                              :else v)))))

(def ^:private config-keys
  {"l1" ["lam"] "l2" ["lam"] "elastic_net" ["l1" "l2"]})

(def ^:private max-json-depth
  "Configurations nest two deep; deeper text is refused before parsing, so that no recursion in the
  parser can overflow the stack."
  64)

(defn- json-too-deep?
  "Whether JSON text nests arrays and objects deeper than max-json-depth (brackets inside strings
  do not count). A scan, not a parse: malformed text is the parser's to refuse."
  [^String s]
  (loop [i 0, depth 0, in-string? false, escaped? false]
    (if (< i (.length s))
      (let [c (.charAt s i)]
        (cond
          in-string? (recur (inc i) depth (or escaped? (not= c \")) (and (not escaped?) (= c \\)))
          (= c \") (recur (inc i) depth true false)
          (or (= c \[) (= c \{)) (or (>= depth max-json-depth)
                                     (recur (inc i) (inc depth) false false))
          (or (= c \]) (= c \})) (recur (inc i) (dec depth) false false)
          :else (recur (inc i) depth false false)))
      false)))

(defn- only-whitespace-after
  "data.json's hook for text after the first value: JSON allows whitespace there, nothing else."
  [value ^java.io.Reader more]
  (if (str/blank? (slurp more))
    value
    (throw (ex-info "extra data after the JSON value" {}))))

(defn- without-duplicate-keys
  "JSON data read with every object key wrapped as [name unique-token] (so that data.json, which
  would let a repeated key overwrite the first, keeps both): the same data with plain string keys,
  or :invalid-config naming a key that occurs twice in one object. Depth is bounded by
  max-json-depth, so the recursion is too."
  [x]
  (cond
    (map? x) (let [names (map first (keys x))]
               (when-let [dup (first (for [[k n] (frequencies names) :when (> n 1)] k))]
                 (fail :invalid-config (str "duplicate key " (pr-str dup)
                                            "; each key may occur once in an object")))
               (into {} (for [[[k _] v] x] [k (without-duplicate-keys v)])))
    (vector? x) (mapv without-duplicate-keys x)
    :else x))

(defn- read-config
  "JSON text as data: numbers exact (decimals as BigDecimal, integers as Long or BigInt, rounded
  once later), objects with string keys; :invalid-config for anything that is not one JSON value."
  [^String s]
  (when (json-too-deep? s)
    (fail :invalid-config (str "JSON nested deeper than " max-json-depth " levels")))
  (without-duplicate-keys
   (try (json/read-str s :bigdec true :key-fn (fn [k] [k (Object.)])
                       :extra-data-fn only-whitespace-after)
        (catch Exception e (fail :invalid-config (str "not JSON: " (ex-message e)))))))

(defn- config-number
  "A configuration parameter: any number, rounded once to binary64 (JSON numbers of any size or
  precision read exactly, then rounded; beyond binary64's range that is ±inf, which the
  constructor refuses)."
  [k v]
  (or (when (number? v) (exact/to-double v))
      (fail :invalid-config (str k " must be a number, got " (pr-str v)) :key k :value v)))

(defn from-config
  "The penalty described by JSON text s (as written by `to-config`), or by the same configuration
  as data (a map with string keys, as `config` returns). Unreadable or malformed configurations
  are :invalid-config (never another exception: deep nesting is refused before parsing);
  well-formed ones with bad values get the constructor's code."
  [s]
  (let [m (cond (map? s) s
                (string? s) (read-config s)
                :else (fail :invalid-config (str "a configuration is JSON text or a map, got "
                                                 (if (nil? s) "nil" (.getName (class s))))))
        _ (when-not (map? m) (fail :invalid-config (str "not a JSON object: " (pr-str m))))
        type (get m "type")
        required (or (config-keys type)
                     (fail :invalid-config
                           (str "type must be one of the strings " (vec (keys config-keys))
                                ", got " (pr-str type))))
        allowed (into #{"type" "penalty_factor"} required)
        unknown (remove allowed (keys m))
        missing (remove #(contains? m %) required)
        _ (when (seq unknown)
            (fail :invalid-config (str "unknown keys " (vec unknown) " for type " type
                                       "; allowed: " (vec (sort allowed)))))
        _ (when (seq missing)
            (fail :invalid-config (str "missing keys " (vec missing) " for type " type)))
        params (mapv #(config-number % (get m %)) required)
        factors (when (contains? m "penalty_factor")
                  (let [pf (get m "penalty_factor")]
                    (when-not (or (sequential? pf) (instance? java.util.List pf))
                      (fail :invalid-config (str "penalty_factor must be a list of numbers, got "
                                                 (pr-str pf))))
                    (mapv #(config-number "penalty_factor" %) pf)))
        opts (if factors [:penalty-factor factors] [])]
    (case type
      "l1" (apply l1 (params 0) opts)
      "l2" (apply l2 (params 0) opts)
      "elastic_net" (apply elastic-net (params 0) (params 1) opts))))

;; ---------------------------------------------------------------------------------------------
;; Conversions from other libraries' conventions (SPEC §3's table, binary64 steps in its order)

(defn- convention-input
  "A converter input within [lo, hi], or :invalid-lambda."
  ^double [what x ^double lo ^double hi]
  (let [v (exact/to-double x)]
    (if (and v (Double/isFinite v) (<= lo (double v) hi))
      (double v)
      (fail :invalid-lambda (str what " must be a finite number in [" lo ", " hi "], got "
                                 (pr-str x))
            :parameter what :value x))))

(defn from-sklearn
  "scikit-learn ElasticNet/Lasso(alpha, l1_ratio) as the Elastic Net with twice its objective."
  [alpha l1-ratio]
  (let [alpha (convention-input "alpha" alpha 0.0 Double/MAX_VALUE)
        ratio (convention-input "l1_ratio" l1-ratio 0.0 1.0)]
    (elastic-net (* (* 2.0 alpha) ratio) (* alpha (- 1.0 ratio)))))

(defn from-glmnet
  "glmnet (gaussian) lambda and alpha as the Elastic Net with twice its objective."
  [lambda alpha]
  (let [lambda (convention-input "lambda" lambda 0.0 Double/MAX_VALUE)
        alpha (convention-input "alpha" alpha 0.0 1.0)]
    (elastic-net (* (* 2.0 lambda) alpha) (* lambda (- 1.0 alpha)))))

(defn from-keras
  "Keras L1L2(l1, l2): the same objective, so the same numbers."
  [l1 l2]
  (elastic-net (convention-input "l1" l1 0.0 Double/MAX_VALUE)
               (convention-input "l2" l2 0.0 Double/MAX_VALUE)))

(defn from-torch-weight-decay
  "PyTorch's weight_decay adds weight_decay·w to the gradient: the gradient of L2(weight_decay/2)."
  [weight-decay]
  (l2 (/ (convention-input "weight_decay" weight-decay 0.0 Double/MAX_VALUE) 2.0)))
