package dev.berth.admin;

import dev.berth.lti.Platform;
import dev.berth.lti.PlatformDraft;
import java.util.Arrays;
import java.util.List;

/**
 * The platform form as the browser posts it: lists arrive as text with one value per line. Validation happens
 * on the {@link PlatformDraft} it becomes, so the page and the API enforce the same rules.
 */
public class PlatformForm {

    private String name = "";
    private String product = "other";
    private String issuer = "";
    private String clientId = "";
    private String authUrl = "";
    private String tokenUrl = "";
    private String jwksUrl = "";
    private String tokenAudience = "";
    private String deploymentIds = "";
    private String frameOrigins = "";
    private boolean enabled = true;

    static PlatformForm of(Platform platform) {
        PlatformForm form = new PlatformForm();
        form.name = platform.name();
        form.product = platform.product();
        form.issuer = platform.issuer();
        form.clientId = platform.clientId();
        form.authUrl = platform.authUrl();
        form.tokenUrl = platform.tokenUrl();
        form.jwksUrl = platform.jwksUrl();
        form.tokenAudience = platform.tokenAudience() == null ? "" : platform.tokenAudience();
        form.deploymentIds = String.join("\n", platform.deploymentIds());
        form.frameOrigins = String.join("\n", platform.frameOrigins());
        form.enabled = platform.enabled();
        return form;
    }

    PlatformDraft toDraft() {
        return new PlatformDraft(
                name,
                issuer,
                clientId,
                product,
                authUrl,
                tokenUrl,
                jwksUrl,
                tokenAudience,
                lines(frameOrigins),
                lines(deploymentIds),
                enabled);
    }

    private static List<String> lines(String text) {
        return text == null ? List.of() : Arrays.asList(text.split("\\R"));
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getProduct() {
        return product;
    }

    public void setProduct(String product) {
        this.product = product;
    }

    public String getIssuer() {
        return issuer;
    }

    public void setIssuer(String issuer) {
        this.issuer = issuer;
    }

    public String getClientId() {
        return clientId;
    }

    public void setClientId(String clientId) {
        this.clientId = clientId;
    }

    public String getAuthUrl() {
        return authUrl;
    }

    public void setAuthUrl(String authUrl) {
        this.authUrl = authUrl;
    }

    public String getTokenUrl() {
        return tokenUrl;
    }

    public void setTokenUrl(String tokenUrl) {
        this.tokenUrl = tokenUrl;
    }

    public String getJwksUrl() {
        return jwksUrl;
    }

    public void setJwksUrl(String jwksUrl) {
        this.jwksUrl = jwksUrl;
    }

    public String getTokenAudience() {
        return tokenAudience;
    }

    public void setTokenAudience(String tokenAudience) {
        this.tokenAudience = tokenAudience;
    }

    public String getDeploymentIds() {
        return deploymentIds;
    }

    public void setDeploymentIds(String deploymentIds) {
        this.deploymentIds = deploymentIds;
    }

    public String getFrameOrigins() {
        return frameOrigins;
    }

    public void setFrameOrigins(String frameOrigins) {
        this.frameOrigins = frameOrigins;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }
}
