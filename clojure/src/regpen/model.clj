(ns regpen.model
  "Training a linear model ŷ = X·w + b with a regpen penalty (conformance/SPEC.md §7): data in, data
  out, bit for bit the same fit as every other regpen language.

    (require '[regpen.core :as rp] '[regpen.model :as m])
    (def fit (m/train-model [[1 2] [3 4] [5 7]] [1 2 3] {:penalty (rp/l1 0.1)}))
    (vec (:coef fit))            ;=> L1 drives some weights to exactly 0.0
    (vec (m/predict fit [[2 3]]))

  Options (train-model, regularization-path): :penalty (required; a regpen.core penalty), :solver
  :cd (cyclic coordinate descent, the default), :ista or :fista; :fit-intercept (default true);
  :max-iter (default 1000); :tol (default 1e-4); :trajectory? (default false) to keep w after every
  iteration; :coef-init, p finite numbers to start from (a warm start; default all +0). X is a seq of rows (vectors, seqs or arrays) or a 2-D Java array; y a seq or array. Every
  element is a number (floats widen exactly, integers and ratios are rounded once to binary64).

  A fit that stops at :max-iter without meeting the duality-gap tolerance is still returned, with
  :converged? false and a :warning string giving the iterations, the gap and its ratio to the
  tolerance. It is not printed: a library function returns data, and a regularization path of a
  hundred fits, a REPL session or a service each decide themselves whether to log it.

  Errors are ex-info with {:regpen/code …}: :invalid-dtype, :invalid-argument, :shape-mismatch,
  :empty-input, :non-finite-input (and :invalid-lambda for a path's grid), checked in SPEC §7.6's
  order, each message naming the parameter, the value and the rule."
  (:require [regpen.core :as rp]
            [regpen.dot :as dot])
  (:import (java.math BigInteger)
           (regpen.dot Accumulator)))

(set! *warn-on-reflection* true)

;; ---------------------------------------------------------------------------------------------
;; Errors

(defn- fail
  "Throws SPEC §7.6's error `code` (a keyword such as :shape-mismatch) as ex-info."
  [code message & {:as data}]
  (throw (ex-info (str (name code) ": " message) (assoc data :regpen/code code))))

;; ---------------------------------------------------------------------------------------------
;; Inputs

(defn- to-double
  "A number as binary64 rounded once (RN64), or nil when x is not a number. Clojure's own (double r)
  of a ratio goes through a 16-digit decimal, so ratios are divided here exactly."
  [x]
  (cond
    (instance? Double x) x
    (instance? clojure.lang.Ratio x)
    (let [^clojure.lang.Ratio r x]
      (dot/round-quotient (.numerator r) 0 (.denominator r)))
    (instance? clojure.lang.BigInt x) (.doubleValue (.toBigInteger ^clojure.lang.BigInt x))
    ;; Float widens exactly; long → double, BigInteger and BigDecimal .doubleValue round to nearest.
    (and (number? x) (not (instance? Boolean x))) (.doubleValue ^Number x)
    :else nil))

(defn- array? [x] (and (some? x) (.isArray (class x))))

(defn- seqable-row? [x] (or (sequential? x) (instance? java.util.List x) (array? x)))

(defn- numbers
  "The elements of a 1-D seq or array as a double array; a non-number is :invalid-dtype."
  ^doubles [what xs]
  (let [xs (vec (if (array? xs) (seq xs) xs))
        out (double-array (count xs))]
    (dotimes [i (count xs)]
      (let [v (nth xs i)]
        (aset out i (double (or (to-double v)
                                (fail :invalid-dtype (str what " must hold numbers, got "
                                                          (pr-str v) " at index " i)
                                      :parameter what :value v))))))
    out))

(defn- read-matrix
  "X as {:rows [double-array …]} or {:not-2d …} (a shape error reported after the option checks):
  element types are checked first, as SPEC §7.6 orders."
  [x]
  (cond
    (not (seqable-row? x))
    (fail :invalid-dtype (str "X must be a seq of rows or a 2-D array, got "
                              (if (nil? x) "nil" (.getName (class x))))
          :parameter "X" :value x)

    :else
    (let [rows (vec (if (array? x) (seq x) x))]
      (if (every? seqable-row? rows)
        {:rows (mapv #(numbers "X" %) rows)}
        (do (numbers "X" rows)          ; a 1-D X: its element types still come first
            {:not-2d (count rows)})))))

(defn- read-vector
  "y as {:values double-array} or {:not-1d …} (nested)."
  [y]
  (cond
    (not (seqable-row? y))
    (fail :invalid-dtype (str "y must be a seq or an array of numbers, got "
                              (if (nil? y) "nil" (.getName (class y))))
          :parameter "y" :value y)
    (some seqable-row? (if (array? y) (seq y) y))
    (do (doseq [row (if (array? y) (seq y) y) :when (seqable-row? row)] (numbers "y" row))
        {:not-1d true})
    :else {:values (numbers "y" y)}))

(def ^:private solvers #{:cd :ista :fista})

(def ^:private defaults {:solver :cd :fit-intercept true :max-iter 1000 :tol 1e-4 :trajectory? false})

(defn- check-options
  "The training options with defaults, checked (SPEC §7.6: :invalid-argument)."
  [opts]
  (let [{:keys [penalty solver max-iter tol fit-intercept] :as o} (merge defaults opts)]
    (when-not (satisfies? rp/Penalty penalty)
      (fail :invalid-argument (str ":penalty must be a regpen.core penalty (rp/l1, rp/l2, "
                                   "rp/elastic-net), got " (pr-str penalty))
            :parameter :penalty :value penalty))
    (when-not (contains? solvers solver)
      (fail :invalid-argument (str ":solver must be one of :cd, :ista, :fista, got " (pr-str solver))
            :parameter :solver :value solver))
    (when-not (and (integer? max-iter) (>= max-iter 1))
      (fail :invalid-argument (str ":max-iter must be an integer >= 1, got " (pr-str max-iter))
            :parameter :max-iter :value max-iter))
    (let [t (when (number? tol) (to-double tol))]
      (when-not (and t (Double/isFinite t) (>= (double t) 0.0))
        (fail :invalid-argument (str ":tol must be a finite number >= 0, got " (pr-str tol))
              :parameter :tol :value tol))
      (assoc o :tol (+ (double t) 0.0) :max-iter (long max-iter) :fit-intercept (boolean fit-intercept)))))

(defn- penalty-parts
  "[c1 c2 factors] of a penalty: the coefficients of Σ f_j·|w_j| and Σ f_j·w_j², and its factors
  (a double array, or nil), read from its configuration."
  [penalty]
  (let [{:strs [type lam l1 l2 penalty_factor]} (rp/config penalty)
        [c1 c2] (case type "l1" [lam 0.0] "l2" [0.0 lam] "elastic_net" [l1 l2])]
    [(double c1) (double c2) (some-> penalty_factor double-array)]))

(defn- check-data
  "SPEC §7.6's shape, emptiness and finiteness checks; returns {:n :p :x (row-major) :y}."
  [{:keys [rows not-2d]} {:keys [values not-1d]} penalty]
  (when not-2d
    (fail :shape-mismatch (str "X must be 2-D (a seq of rows), got a 1-D seq of " not-2d " numbers")
          :parameter "X"))
  (when not-1d
    (fail :shape-mismatch "y must be 1-D (a seq of numbers), got nested seqs" :parameter "y"))
  (let [^doubles y values
        n (count rows)
        p (if (pos? n) (alength ^doubles (first rows)) 0)
        [_ _ ^doubles factors] (penalty-parts penalty)]
    (when-let [bad (first (keep-indexed (fn [i ^doubles r] (when (not= (alength r) p) i)) rows))]
      (fail :shape-mismatch (str "every row of X must have " p " features (row 0's), row " bad
                                 " has " (alength ^doubles (nth rows bad)))
            :parameter "X"))
    (when (not= n (alength y))
      (fail :shape-mismatch (str "X has " n " rows but y has " (alength y) " values; they must match")
            :parameter "y"))
    (when (and factors (not= (alength factors) p))
      (fail :shape-mismatch (str "penalty-factor has " (alength factors) " entries for " p
                                 " features; it needs one per feature")
            :parameter :penalty-factor))
    (when (or (zero? n) (zero? p))
      (fail :empty-input (str "X is " n " x " p "; training needs at least 1 sample and 1 feature")
            :parameter "X"))
    (doseq [i (range n), j (range p)]
      (let [v (aget ^doubles (nth rows i) j)]
        (when-not (Double/isFinite v)
          (fail :non-finite-input (str "X contains " v " at [" i " " j "]; training needs finite data")
                :parameter "X" :value v))))
    (dotimes [i n]
      (when-not (Double/isFinite (aget y i))
        (fail :non-finite-input (str "y contains " (aget y i) " at " i "; training needs finite data")
              :parameter "y" :value (aget y i))))
    (let [x (double-array (* n p))]
      (dotimes [i n] (System/arraycopy (nth rows i) 0 x (* i p) p))
      {:n n :p p :x x :y y})))

;; ---------------------------------------------------------------------------------------------
;; The centred problem (SPEC §7.2)

(defn- constants
  "The per-coordinate constants of §7.2 for `penalty` on centred data `pr`."
  [{:keys [^long n ^long p ^doubles col-sq] :as pr} penalty]
  (let [[c1 c2 ^doubles factors] (penalty-parts penalty)
        c1 (double c1)
        c2 (double c2)
        nf (double n)
        half-n (/ nf 2.0)
        alpha (double-array p)
        beta (double-array p)
        denom (double-array p)]
    (dotimes [j p]
      (let [f (if factors (aget factors j) 1.0)]
        (aset alpha j (* (* c1 f) half-n))
        (aset beta j (* (* c2 f) nf))
        (aset denom j (+ (aget col-sq j) (aget beta j)))))
    (assoc pr :alpha alpha :beta beta :denom denom :penalty penalty)))

(defn- prepare
  "Centres X and y (with an intercept) and computes every constant of §7.2."
  [{:keys [^long n ^long p ^doubles x ^doubles y]} penalty fit-intercept tol]
  (let [^Accumulator acc (dot/accumulator)
        x-mean (double-array p)
        xc (double-array (* n p))
        yc (double-array n)
        y-mean (if fit-intercept
                 (do (.reset acc) (dotimes [i n] (.add acc (aget y i))) (.roundedScaled acc 1 n))
                 0.0)]
    (dotimes [j p]
      (when fit-intercept
        (.reset acc)
        (dotimes [i n] (.add acc (aget x (+ (* i p) j))))
        (aset x-mean j (.roundedScaled acc 1 n))))
    (dotimes [i n]
      (aset yc i (- (aget y i) y-mean))
      (dotimes [j p]
        (let [k (+ (* i p) j)]
          (aset xc k (- (aget x k) (aget x-mean j))))))
    ;; Column-major Xc for the column dots and coordinate updates.
    (let [cols (double-array (* n p))
          col-sq (double-array p)]
      (dotimes [j p]
        (.reset acc)
        (dotimes [i n]
          (let [v (aget xc (+ (* i p) j))]
            (aset cols (+ (* j n) i) v)
            (.addProduct acc v v)))
        (aset col-sq j (.rounded acc)))
      (.reset acc)
      (dotimes [i n] (.addProduct acc (aget yc i) (aget yc i)))
      (let [y2 (.roundedScaled acc 2 n)]
        (constants {:n n :p p :xc xc :cols cols :yc yc :x-mean x-mean :y-mean y-mean
                    :col-sq col-sq :tol tol :tau (* (double tol) y2)}
                   penalty)))))

(defn- residual
  "r_i = RN(yc_i − Σ_j Xc_ij·w_j), one reduction per row."
  ^doubles [{:keys [^long n ^long p ^doubles xc ^doubles yc]} ^doubles w]
  (let [^Accumulator acc (dot/accumulator)
        r (double-array n)]
    (dotimes [i n]
      (let [base (* i p)]
        (aset r i (dot/rounded-dot [j p] (aget xc (+ base j)) (- (aget w j)) (aget yc i) 1.0
                                   (do (.reset acc)
                                       (.add acc (aget yc i))
                                       (dotimes [j p] (.addProduct acc (aget xc (+ base j)) (- (aget w j))))
                                       (.rounded acc))))))
    r))

(defn- column-dots
  "u_j = RN(Σ_i Xc_ij·r_i)."
  ^doubles [{:keys [^long n ^long p ^doubles cols]} ^doubles r]
  (let [^Accumulator acc (dot/accumulator)
        u (double-array p)]
    (dotimes [j p]
      (let [base (* j n)]
        (aset u j (dot/rounded-dot [i n] (aget cols (+ base i)) (aget r i) 0.0 0.0
                                   (do (.reset acc)
                                       (dotimes [i n] (.addProduct acc (aget cols (+ base i)) (aget r i)))
                                       (.rounded acc))))))
    u))

(defn- duality-gap
  "SPEC §7.5: the Fenchel gap at w with the dual point c·r, times 2/n: one rounding of
  ½·Σr² + ½·c·c·Σr² − c·Σ r·yc + Σ α_j·|w_j| + ½·Σ β_j·w_j² + Σ q_j."
  ^double [{:keys [^long n ^long p ^doubles alpha ^doubles beta ^doubles yc]}
           ^doubles w ^doubles r ^doubles u]
  (let [c (loop [j 0, c 1.0]
            (if (< j p)
              (let [a (aget alpha j), au (Math/abs (aget u j))]
                (recur (inc j) (if (and (zero? (aget beta j)) (> a 0.0) (> au a))
                                 (min c (/ a au))
                                 c)))
              c))
        ^Accumulator acc (dot/accumulator)]
    (dotimes [j p]
      (let [a (aget alpha j), b (aget beta j), wj (aget w j)]
        (.addProduct acc a (Math/abs wj))
        (.addProducts acc (double-array [0.5 b wj wj]))
        (when (> b 0.0)
          (let [m (- (* c (Math/abs (aget u j))) a)]
            (when (> m 0.0)
              (.add acc (/ (* m m) (* 2.0 b))))))))
    (if (areduce r i ok true (and ok (Double/isFinite (aget r i))))
      ;; Finite residuals: S1 = Σ r² and S2 = Σ r·yc exactly, then ½·S1 + ½·c²·S1 − c·S2 exactly
      ;; as integers times powers of two (c = mc·2^ec), the same value as the per-term sum below.
      (let [^Accumulator s1 (dot/accumulator)
            ^Accumulator s2 (dot/accumulator)]
        (dotimes [i n]
          (.addProduct s1 (aget r i) (aget r i))
          (.addProduct s2 (aget r i) (aget yc i)))
        (let [m1 (.exactTotal s1), e1 (.exactExponent s1)
              m2 (.exactTotal s2), e2 (.exactExponent s2)
              mc (BigInteger/valueOf (dot/significand c)), ec (dot/exponent c)]
          (.addExact acc m1 (dec e1))
          (.addExact acc (.multiply m1 (.multiply mc mc)) (+ e1 (* 2 ec) -1))
          (.addExact acc (.negate (.multiply m2 mc)) (+ e2 ec))))
      ;; Non-finite residuals (a diverging fit): term by term, so that SPEC §7.1's special values
      ;; come out of the same products as the spec writes them.
      (dotimes [i n]
        (let [ri (aget r i)]
          (.addProducts acc (double-array [0.5 ri ri]))
          (.addProducts acc (double-array [0.5 c c ri ri]))
          (.addProducts acc (double-array [(- c) ri (aget yc i)])))))
    (.roundedScaled acc 2 n)))

(defn- intercept-of
  "b = RN(ȳ − Σ_j x̄_j·w_j) with an intercept, else +0."
  ^double [{:keys [^long p ^doubles x-mean y-mean]} ^doubles w fit-intercept]
  (if fit-intercept
    (let [^Accumulator acc (dot/accumulator)]
      (.add acc (double y-mean))
      (dotimes [j p] (.addProduct acc (aget x-mean j) (- (aget w j))))
      (.rounded acc))
    0.0))

;; ---------------------------------------------------------------------------------------------
;; Solvers (SPEC §7.3, §7.4). Each returns {:w :n-iter :gap :converged? :trajectory}.

(defn- soft-threshold
  "§3's soft threshold: |x| − t towards zero, never across it, keeping the sign of a zero."
  ^double [^double x ^double t]
  (let [e (- (Math/abs x) t)]
    (cond (Double/isNaN e) Double/NaN
          (> e 0.0) (Math/copySign e x)
          :else (Math/copySign 0.0 x))))

(defn- coordinate-descent
  [{:keys [^long n ^long p ^doubles cols ^doubles col-sq ^doubles alpha ^doubles denom tol tau]
    :as pr}
   ^doubles w ^long max-iter record?]
  (let [tol (double tol)
        tau (double tau)
        r (residual pr w)
        ^Accumulator acc (dot/accumulator)]
    (loop [k 1, trajectory (transient [])]
      (let [[d-max w-max]
            (loop [j 0, d-max 0.0, w-max 0.0]
              (if (< j p)
                (let [old (aget w j)
                      s (aget col-sq j)
                      new (if (zero? s)
                            0.0
                            (let [base (* j n)
                                  rho (dot/rounded-dot [i n] (aget cols (+ base i)) (aget r i) s old
                                                       (do (.reset acc)
                                                           (dotimes [i n]
                                                             (.addProduct acc (aget cols (+ base i)) (aget r i)))
                                                           (.addProduct acc s old)
                                                           (.rounded acc)))]
                              (/ (soft-threshold rho (aget alpha j)) (aget denom j))))
                      delta (- old new)]
                  (when (and (not (zero? delta)) (not (zero? s)))
                    (let [base (* j n)]
                      (dotimes [i n]
                        (aset r i (+ (aget r i) (* (aget cols (+ base i)) delta))))))
                  (aset w j new)
                  (recur (inc j) (max d-max (Math/abs delta)) (max w-max (Math/abs new))))
                [d-max w-max]))
            d-max (double d-max)
            w-max (double w-max)
            trajectory (if record? (conj! trajectory (aclone w)) trajectory)
            check? (or (zero? w-max) (<= (/ d-max w-max) tol) (== k max-iter))
            gap (if check? (duality-gap pr w r (column-dots pr r)) Double/NaN)]
        (if (or (and check? (<= gap tau)) (== k max-iter))
          {:w w :n-iter k :gap gap :converged? (and check? (<= gap tau))
           :trajectory (persistent! trajectory)}
          (recur (inc k) trajectory))))))

(defn- lipschitz-step
  "γ = fl(1 / L), L = RN((2/n)·Σ_ij Xc_ij²); 1 when L = 0."
  ^double [{:keys [^long n ^doubles xc]}]
  (let [^Accumulator acc (dot/accumulator)]
    (dotimes [k (alength xc)] (.addProduct acc (aget xc k) (aget xc k)))
    (let [l (.roundedScaled acc 2 n)]
      (if (> l 0.0) (/ 1.0 l) 1.0))))

(defn- proximal-gradient
  [{:keys [^long n ^long p penalty tau] :as pr} ^doubles w0 max-iter accelerated? record?]
  (let [gamma (lipschitz-step pr)
        nf (double n)
        tau (double tau)]
    (loop [k 1, w w0, v (aclone w0), t 1.0, trajectory (transient [])]
      (let [^doubles w w
            ^doubles v v
            u (column-dots pr (residual pr v))
            z (double-array p)
            _ (dotimes [j p]
                (let [g (/ (* -2.0 (aget u j)) nf)]
                  (aset z j (- (aget v j) (* gamma g)))))
            ^doubles w-new (rp/prox penalty z gamma)
            t-next (if accelerated? (/ (+ 1.0 (Math/sqrt (+ 1.0 (* 4.0 (* t t))))) 2.0) t)
            v-next (if accelerated?
                     (let [m (/ (- t 1.0) t-next)
                           v (double-array p)]
                       (dotimes [j p]
                         (aset v j (+ (aget w-new j) (* m (- (aget w-new j) (aget w j))))))
                       v)
                     (aclone w-new))
            trajectory (if record? (conj! trajectory (aclone w-new)) trajectory)
            r (residual pr w-new)
            gap (duality-gap pr w-new r (column-dots pr r))]
        (if (or (<= gap tau) (== k (long max-iter)))
          {:w w-new :n-iter k :gap gap :converged? (<= gap tau) :trajectory (persistent! trajectory)}
          (recur (inc k) w-new v-next t-next trajectory))))))

(defn- solve
  "One fit of the prepared problem from the initial w (copied)."
  [pr ^doubles w0 {:keys [solver max-iter fit-intercept trajectory?]}]
  (let [w (aclone w0)
        result (if (= solver :cd)
                 (coordinate-descent pr w max-iter trajectory?)
                 (proximal-gradient pr w max-iter (= solver :fista) trajectory?))
        {:keys [^doubles w n-iter gap converged?]} result
        tau (double (:tau pr))]
    (cond-> {:coef w
             :intercept (intercept-of pr w fit-intercept)
             :n-iter n-iter
             :gap gap
             :converged? converged?
             :tau tau
             :penalty (:penalty pr)
             :fit-intercept fit-intercept}
      trajectory? (assoc :trajectory (:trajectory result))
      (not converged?)
      (assoc :warning (str "not converged after " n-iter " iterations (max-iter): duality gap "
                           gap " is " (/ (double gap) tau) " times the tolerance " tau
                           "; raise :max-iter or :tol, or scale the data")))))

;; ---------------------------------------------------------------------------------------------
;; Public API

(defn- initial-coef
  "The starting w: :coef-init checked (p finite numbers), or p zeros."
  ^doubles [coef-init ^long p]
  (if (nil? coef-init)
    (double-array p)
    (let [^doubles w (if (seqable-row? coef-init)
              (numbers ":coef-init" coef-init)
              (fail :invalid-dtype (str ":coef-init must be a seq or array of numbers, got "
                                        (pr-str coef-init)) :parameter :coef-init))]
      (when (not= (alength w) p)
        (fail :shape-mismatch (str ":coef-init has " (alength w) " values for " p " features")
              :parameter :coef-init))
      (when-not (areduce w i ok true (and ok (Double/isFinite (aget w i))))
        (fail :non-finite-input (str ":coef-init must be finite, got " (vec w)) :parameter :coef-init))
      w)))

(defn train-model
  "Fits ŷ = X·w + b to `labels` by minimizing (1/n)·‖y − X·w − b‖² + penalty(w) (SPEC §7), and
  returns the fit as data:

    {:coef double-array, :intercept b, :n-iter k, :gap g, :converged? bool, :tau τ,
     :penalty p, :fit-intercept bool, :trajectory [w₁ w₂ …] (with :trajectory? true),
     :warning \"…\" (only when not converged)}

  `training-data` X: n rows of p numbers; `labels` y: n numbers. `opts`: see the namespace doc;
  :penalty is required. The fit converged when the duality gap (in the objective's units) is at
  most :tol times twice the variance of y, scikit-learn's rule; otherwise it stops at :max-iter."
  [training-data labels opts]
  (let [x (read-matrix training-data)
        y (read-vector labels)
        o (check-options opts)
        data (check-data x y (:penalty o))
        pr (prepare data (:penalty o) (:fit-intercept o) (:tol o))]
    (solve pr (initial-coef (:coef-init o) (:p data)) o)))

(defn predict
  "ŷ_i = RN(b + Σ_j X_ij·w_j) for every row of X (SPEC §7.7), as a double array. `model` is a fit
  from `train-model` (or any map with :coef and :intercept)."
  ^doubles [{:keys [^doubles coef intercept]} x]
  (let [{:keys [rows not-2d]} (read-matrix x)
        p (alength coef)]
    (when not-2d
      (fail :shape-mismatch (str "X must be 2-D (a seq of rows), got a 1-D seq of " not-2d " numbers")
            :parameter "X"))
    (let [^Accumulator acc (dot/accumulator)
          out (double-array (count rows))]
      (doseq [[i ^doubles row] (map-indexed vector rows)]
        (when (not= (alength row) p)
          (fail :shape-mismatch (str "row " i " of X has " (alength row) " features; the model has " p)
                :parameter "X"))
        (.reset acc)
        (.add acc (double intercept))
        (dotimes [j p] (.addProduct acc (aget row j) (aget coef j)))
        (aset out i (.rounded acc)))
      out)))

;; ---------------------------------------------------------------------------------------------
;; Regularization path (SPEC §7.8)

(defn- scaled-penalty
  "P(s): every parameter of the penalty times s (one rounding each), its factors unchanged."
  [penalty ^double s]
  (let [{:strs [type lam l1 l2 penalty_factor]} (rp/config penalty)
        opts (if penalty_factor [:penalty-factor penalty_factor] [])]
    (case type
      "l1" (apply rp/l1 (* s (double lam)) opts)
      "l2" (apply rp/l2 (* s (double lam)) opts)
      "elastic_net" (apply rp/elastic-net (* s (double l1)) (* s (double l2)) opts))))

(defn- dyadic
  "The exact rational m·2^e."
  [m ^long e]
  (let [m (bigint m)]
    (if (neg? e)
      (/ m (bigint (.shiftLeft BigInteger/ONE (int (- e)))))
      (* m (bigint (.shiftLeft BigInteger/ONE (int e)))))))

(defn- ratio-of
  "The exact rational value of a finite double."
  [^double x]
  (dyadic (dot/significand x) (dot/exponent x)))

(defn- round-up
  "RU(q): the smallest binary64 ≥ the exact positive rational q."
  ^double [q]
  (let [[num den] (if (ratio? q) [(numerator q) (denominator q)] [q 1])
        r (dot/round-quotient (biginteger num) 0 (biginteger den))]
    (if (< (ratio-of r) q) (Math/nextUp r) r)))

(defn- lambda-max
  "RU(max_j 2·|Σ_i Xc_ij·yc_i| / (n·f_j·c1)) over the j with f_j > 0 (SPEC §7.8)."
  ^double [{:keys [^long n ^long p ^doubles cols ^doubles yc]} penalty]
  (let [[c1 _ ^doubles factors] (penalty-parts penalty)
        ^Accumulator acc (dot/accumulator)]
    (when (zero? (double c1))
      (fail :invalid-argument (str "the penalty " (pr-str (rp/config penalty)) " has no L1 part, so "
                                   "no lambda-max: give :strengths") :parameter :strengths))
    (let [best (reduce max 0
                       (for [j (range p)
                             :let [f (if factors (aget factors j) 1.0)]
                             :when (> f 0.0)]
                         (do (.reset acc)
                             (dotimes [i n] (.addProduct acc (aget cols (+ (* j n) i)) (aget yc i)))
                             (let [dot-exact (dyadic (.exactTotal acc) (.exactExponent acc))]
                               (/ (* 2 (abs dot-exact)) (* n (ratio-of f) (ratio-of c1)))))))]
      (if (zero? best) 0.0 (round-up best)))))

(defn- geometric-ratio
  "q = RN(eps^(1/(K−1))), decided with exact powers of the midpoints next to q."
  ^double [^double eps ^long k]
  (let [steps (dec k)
        e (ratio-of eps)
        pow (fn [q] (reduce * 1 (repeat steps q)))]
    (loop [q (Math/pow eps (/ 1.0 steps))]
      (let [below (/ (+ (ratio-of q) (ratio-of (Math/nextDown q))) 2)
            above (/ (+ (ratio-of q) (ratio-of (Math/nextUp q))) 2)]
        (cond (> (pow below) e) (recur (Math/nextDown q))
              (< (pow above) e) (recur (Math/nextUp q))
              :else q)))))

(defn regularization-path
  "Fits the family P(s) of the penalty `(:penalty opts)` = P(1) for strengths s in order, each fit
  warm-started from the previous coefficients (SPEC §7.8). Strengths: `:strengths` (finite, > 0),
  or a grid of `:n-strengths` (default 100) points from lambda-max down by the ratio
  eps^(1/(K−1)), `:eps` (default 1e-3). Returns a vector of fits as `train-model` returns them,
  each with its :strength."
  [training-data labels opts]
  (let [x (read-matrix training-data)
        y (read-vector labels)
        o (check-options opts)
        {:keys [strengths n-strengths eps] :or {n-strengths 100 eps 1e-3}} opts]
    (if (some? strengths)
      (when-not (and (seqable-row? strengths) (seq strengths)
                     (every? #(and (number? %) (Double/isFinite (double (to-double %)))
                                   (> (double (to-double %)) 0.0))
                             strengths))
        (fail :invalid-lambda (str ":strengths must be a non-empty seq of finite numbers > 0, got "
                                   (pr-str strengths)) :parameter :strengths :value strengths))
      (do (when-not (and (integer? n-strengths) (>= n-strengths 1))
            (fail :invalid-argument (str ":n-strengths must be an integer >= 1, got "
                                         (pr-str n-strengths)) :parameter :n-strengths :value n-strengths))
          (let [e (when (number? eps) (to-double eps))]
            (when-not (and e (Double/isFinite e) (< 0.0 (double e) 1.0))
              (fail :invalid-lambda (str ":eps must be a number in (0, 1), got " (pr-str eps))
                    :parameter :eps :value eps)))))
    (let [unit (:penalty o)
          data (check-data x y unit)
          base (prepare data unit (:fit-intercept o) (:tol o))
          grid (if (some? strengths)
                 (mapv #(double (to-double %)) strengths)
                 (let [top (lambda-max base unit)
                       k (long n-strengths)]
                   (when (zero? top)
                     (fail :invalid-lambda "lambda-max is 0 (y is constant after centring): no grid"
                           :parameter :n-strengths))
                   (let [q (if (> k 1) (geometric-ratio (double (to-double eps)) k) 1.0)]
                     (vec (take k (iterate #(* (double %) q) top))))))]
      (loop [[s & more] grid, w (double-array (:p data)), out []]
        (if (nil? s)
          out
          (let [fit (assoc (solve (constants base (scaled-penalty unit s)) w o) :strength s)]
            (recur more (:coef fit) (conj out fit))))))))
