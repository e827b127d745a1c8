import java.util.*;

/** PKCS#11 wrapper timing on SoftHSM2: args mode(jdk|xipki) lib label pin rounds */
public class Timing {
    static final byte[] P256 = {0x06,0x08,0x2A,(byte)0x86,0x48,(byte)0xCE,0x3D,0x03,0x01,0x07};
    static final String[] PH = {"open+login", "gen P-256", "gen RSA-2048", "sign EC", "sign RSA", "delete+logout+close", "round"};

    interface Round { long[] run(int i) throws Exception; }

    public static void main(String[] a) throws Exception {
        String mode = a[0], lib = a[1], label = a[2]; char[] pin = a[3].toCharArray(); int n = Integer.parseInt(a[4]);
        long t0 = System.nanoTime();
        Round r = mode.equals("jdk") ? Jdk.setup(lib, label, pin) : Xi.setup(lib, label, pin);
        System.out.printf("%s load+initialize+find slot: %.1f ms%n", mode, (System.nanoTime() - t0) / 1e6);
        List<long[]> all = new ArrayList<>();
        for (int i = 0; i < n + 2; i++) { long[] t = r.run(i); if (i >= 2) all.add(t); } // 2 warm-up rounds
        for (int p = 0; p < PH.length; p++) {
            long[] v = new long[all.size()]; for (int i = 0; i < v.length; i++) v[i] = all.get(i)[p];
            Arrays.sort(v);
            System.out.printf("%s %-20s median %8.2f ms  (min %.2f, max %.2f, n=%d)%n", mode, PH[p], v[v.length/2]/1e6, v[0]/1e6, v[v.length-1]/1e6, v.length);
        }
    }

    static class Jdk {
        static Round setup(String lib, String label, char[] pin) throws Exception {
            var args = new sun.security.pkcs11.wrapper.CK_C_INITIALIZE_ARGS();
            args.flags = sun.security.pkcs11.wrapper.PKCS11Constants.CKF_OS_LOCKING_OK;
            var p11 = sun.security.pkcs11.wrapper.PKCS11.getInstance(lib, "C_GetFunctionList", args, false);
            long slot = -1;
            for (long s : p11.C_GetSlotList(true)) if (new String(p11.C_GetTokenInfo(s).label).trim().equals(label)) slot = s;
            final long sl = slot;
            byte[] hash = new byte[32]; new Random(1).nextBytes(hash);
            return i -> {
                long[] t = new long[7]; long s0 = System.nanoTime(), s = s0;
                long h = p11.C_OpenSession(sl, 0x4 | 0x2, null, null);
                p11.C_Login(h, 1, pin);
                t[0] = System.nanoTime() - s; s = System.nanoTime();
                byte[] id = ("t" + i).getBytes();
                var ec = p11.C_GenerateKeyPair(h, new sun.security.pkcs11.wrapper.CK_MECHANISM(0x1040L),
                        new sun.security.pkcs11.wrapper.CK_ATTRIBUTE[]{ a(0x1,true), a(0x180,(Object)P256), a(0x102,(Object)id), a(0x10A,true)},
                        new sun.security.pkcs11.wrapper.CK_ATTRIBUTE[]{ a(0x1,true), a(0x2,true), a(0x103,true), a(0x102,(Object)id), a(0x108,true), a(0x162,false)});
                t[1] = System.nanoTime() - s; s = System.nanoTime();
                var rsa = p11.C_GenerateKeyPair(h, new sun.security.pkcs11.wrapper.CK_MECHANISM(0x0L),
                        new sun.security.pkcs11.wrapper.CK_ATTRIBUTE[]{ a(0x1,true), new sun.security.pkcs11.wrapper.CK_ATTRIBUTE(0x121L, 2048L), a(0x122,(Object)new byte[]{1,0,1}), a(0x102,(Object)id), a(0x10A,true)},
                        new sun.security.pkcs11.wrapper.CK_ATTRIBUTE[]{ a(0x1,true), a(0x2,true), a(0x103,true), a(0x102,(Object)id), a(0x108,true), a(0x162,false)});
                t[2] = System.nanoTime() - s; s = System.nanoTime();
                p11.C_SignInit(h, new sun.security.pkcs11.wrapper.CK_MECHANISM(0x1041L), ec[1]); p11.C_Sign(h, hash);
                t[3] = System.nanoTime() - s; s = System.nanoTime();
                p11.C_SignInit(h, new sun.security.pkcs11.wrapper.CK_MECHANISM(0x40L), rsa[1]); p11.C_Sign(h, hash);
                t[4] = System.nanoTime() - s; s = System.nanoTime();
                for (long o : new long[]{ec[0], ec[1], rsa[0], rsa[1]}) p11.C_DestroyObject(h, o);
                p11.C_Logout(h); p11.C_CloseSession(h);
                t[5] = System.nanoTime() - s; t[6] = System.nanoTime() - s0;
                return t;
            };
        }
        static sun.security.pkcs11.wrapper.CK_ATTRIBUTE a(long type, boolean v) { return new sun.security.pkcs11.wrapper.CK_ATTRIBUTE(type, v); }
        static sun.security.pkcs11.wrapper.CK_ATTRIBUTE a(long type, Object v) { return new sun.security.pkcs11.wrapper.CK_ATTRIBUTE(type, v); }
    }

    static class Xi {
        static Round setup(String lib, String label, char[] pin) throws Exception {
            var m = org.xipki.pkcs11.wrapper.PKCS11Module.getInstance(lib);
            m.initialize();
            org.xipki.pkcs11.wrapper.Token tok = null;
            for (var s : m.getSlotList(true)) if (s.getToken().getTokenInfo().getLabel().trim().equals(label)) tok = s.getToken();
            final var token = tok;
            byte[] hash = new byte[32]; new Random(1).nextBytes(hash);
            return i -> {
                long[] t = new long[7]; long s0 = System.nanoTime(), s = s0;
                var h = token.openSession(true);
                h.login(1, pin);
                t[0] = System.nanoTime() - s; s = System.nanoTime();
                byte[] id = ("t" + i).getBytes();
                var ecT = new org.xipki.pkcs11.wrapper.KeyPairTemplate(0x3L).token(true).id(id).signVerify(true);
                ecT.publicKey().ecParams(P256); ecT.privateKey().sensitive(true).extractable(false);
                var ec = h.generateKeyPair(new org.xipki.pkcs11.wrapper.Mechanism(0x1040L), ecT);
                t[1] = System.nanoTime() - s; s = System.nanoTime();
                var rsaT = new org.xipki.pkcs11.wrapper.KeyPairTemplate(0x0L).token(true).id(id).signVerify(true);
                rsaT.publicKey().modulusBits(2048).publicExponent(java.math.BigInteger.valueOf(65537)); rsaT.privateKey().sensitive(true).extractable(false);
                var rsa = h.generateKeyPair(new org.xipki.pkcs11.wrapper.Mechanism(0x0L), rsaT);
                t[2] = System.nanoTime() - s; s = System.nanoTime();
                h.signSingle(new org.xipki.pkcs11.wrapper.Mechanism(0x1041L), ec.getPrivateKey(), hash);
                t[3] = System.nanoTime() - s; s = System.nanoTime();
                h.signSingle(new org.xipki.pkcs11.wrapper.Mechanism(0x40L), rsa.getPrivateKey(), hash);
                t[4] = System.nanoTime() - s; s = System.nanoTime();
                for (long o : new long[]{ec.getPublicKey(), ec.getPrivateKey(), rsa.getPublicKey(), rsa.getPrivateKey()}) h.destroyObject(o);
                h.logout(); h.closeSession();
                t[5] = System.nanoTime() - s; t[6] = System.nanoTime() - s0;
                return t;
            };
        }
    }
}
