package dev.berth.lti;

/** Claim names and vocabulary of LTI 1.3 Core, Deep Linking, AGS and NRPS, written once. */
public final class LtiClaims {

    private static final String LTI = "https://purl.imsglobal.org/spec/lti/claim/";

    public static final String MESSAGE_TYPE = LTI + "message_type";
    public static final String VERSION = LTI + "version";
    public static final String DEPLOYMENT_ID = LTI + "deployment_id";
    public static final String TARGET_LINK_URI = LTI + "target_link_uri";
    public static final String RESOURCE_LINK = LTI + "resource_link";
    public static final String ROLES = LTI + "roles";
    public static final String CONTEXT = LTI + "context";
    public static final String TOOL_PLATFORM = LTI + "tool_platform";
    public static final String LAUNCH_PRESENTATION = LTI + "launch_presentation";
    public static final String LIS = LTI + "lis";
    public static final String CUSTOM = LTI + "custom";
    public static final String AGS_ENDPOINT = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint";
    public static final String NRPS = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice";
    public static final String DEEP_LINKING_SETTINGS =
            "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings";

    public static final String LTI_VERSION = "1.3.0";
    public static final String RESOURCE_LINK_REQUEST = "LtiResourceLinkRequest";
    public static final String DEEP_LINKING_REQUEST = "LtiDeepLinkingRequest";

    public static final String MEMBERSHIP_ROLE = "http://purl.imsglobal.org/vocab/lis/v2/membership#";
    public static final String INSTITUTION_ROLE = "http://purl.imsglobal.org/vocab/lis/v2/institution/person#";
    public static final String SYSTEM_ROLE = "http://purl.imsglobal.org/vocab/lis/v2/system/person#";

    private LtiClaims() {}
}
