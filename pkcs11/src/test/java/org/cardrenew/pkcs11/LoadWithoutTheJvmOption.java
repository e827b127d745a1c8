package org.cardrenew.pkcs11;

import java.io.IOException;
import java.nio.file.Path;

/** Run by {@link MissingJvmOptionTest} in a JVM started without the option: prints what loading answers. */
public final class LoadWithoutTheJvmOption {

    private LoadWithoutTheJvmOption() {}

    public static void main(String[] args) throws Pkcs11Exception {
        try {
            Pkcs11Library.load(Path.of(args[0]));
            System.out.println("loaded");
        } catch (IOException e) {
            System.out.println("IOException: " + e.getMessage());
        }
    }
}
