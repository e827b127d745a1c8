package org.cardrenew.server.web.pages;

import java.util.Locale;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The renewal page ({@code /}) and the agent install guide ({@code /agent}). The page holds no holder data:
 * everything about the card comes from the local bridge in the browser, so these are plain GETs.
 */
@Controller
public class RenewalPageController {

    private final BridgeProperties bridge;

    public RenewalPageController(BridgeProperties bridge) {
        this.bridge = bridge;
    }

    @GetMapping("/")
    public String renewal(Model model, Locale locale) {
        page(model, locale);
        return "renew";
    }

    @GetMapping("/agent")
    public String agent(Model model, Locale locale) {
        page(model, locale);
        return "agent";
    }

    private void page(Model model, Locale locale) {
        String lang = Locale.ENGLISH.getLanguage().equals(locale.getLanguage()) ? "en" : "zh-TW";
        model.addAttribute("lang", lang);
        model.addAttribute("otherLang", lang.equals("en") ? "zh-TW" : "en");
        model.addAttribute("bridgeUrl", bridge.origin());
        model.addAttribute("bridgeMinimumVersion", bridge.minimumVersion());
        model.addAttribute(
                "siteOrigin",
                ServletUriComponentsBuilder.fromCurrentContextPath()
                        .replacePath(null)
                        .toUriString());
    }
}
