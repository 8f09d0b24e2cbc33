package dev.tollgate.api.config;

/**
 * Static AWS credentials of one backend (from the backend's Secret, or {@code ${ENV}} references standalone).
 *
 * @param accessKeyId     access key id
 * @param secretAccessKey secret access key; never logged
 * @param sessionToken    session token of temporary credentials, or null
 */
public record AwsCredentials(String accessKeyId, String secretAccessKey, String sessionToken) {

    @Override
    public String toString() {
        return "AwsCredentials[accessKeyId=" + (accessKeyId == null ? "null" : "***")
                + ", secretAccessKey=" + (secretAccessKey == null ? "null" : "***")
                + ", sessionToken=" + (sessionToken == null ? "null" : "***") + "]";
    }
}
