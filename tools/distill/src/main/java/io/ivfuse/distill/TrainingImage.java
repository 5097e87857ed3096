package io.ivfuse.distill;

/**
 * One training pair in memory, values in [0, 1], row-major: the visible luminance, the infrared,
 * the teacher's fused output (clamped), the teacher's x3 features at a quarter resolution of the
 * size padded to 4, and superpixel labels.
 *
 * @param name            file name, for logs
 * @param width           image width
 * @param height          image height
 * @param visible         width * height
 * @param infrared        width * height
 * @param teacher         width * height, or null without a teacher
 * @param features        featureChannels * featureHeight * featureWidth, or null
 * @param featureChannels channels of the teacher features
 * @param featureWidth    padded width / 4
 * @param featureHeight   padded height / 4
 * @param labels          width * height superpixel labels, 0-based
 */
record TrainingImage(String name, int width, int height, float[] visible, float[] infrared, float[] teacher,
                     float[] features, int featureChannels, int featureWidth, int featureHeight, int[] labels) {
}
